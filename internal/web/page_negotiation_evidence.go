package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/negotiation"
	"accord/internal/sqlstore"
)

// registerNegotiationEvidence registers the rounds' evidence: the printable
// evidence file of a case's rounds, an attachment's download, and the
// signed copy of an agreement uploaded from the console.
func (s *Server) registerNegotiationEvidence() {
	s.handle("GET", "/cases/{id}/negotiation/evidence", auth.PermCaseWork, s.handleNegotiationEvidence)
	s.handle("GET", "/api/v1/attachments/{id}", auth.PermCaseWork, s.handleNegotiationAttachment)
	s.handleWithLimit("POST", "/agreements/{id}/signed-copy", auth.PermCaseWork, negotiationBodyLimit, s.handleAgreementSignedCopy)
}

// roundFormLimit is the largest body of the console's round form: five
// attachments at their limit and the fields.
const roundFormLimit = negotiation.MaxAttachments*sqlstore.MaxAttachment + 1<<20

// evidenceRound is one round as the evidence file prints it: the round,
// and the kinds of the offers it made.
type evidenceRound struct {
	sqlstore.Round
	Seq    int
	Offers []evidenceOffer
}

type evidenceOffer struct {
	ID   int64
	Kind string
}

// evidenceDigest is the SHA-256 (hex) of the rounds as stored (their JSON,
// attachments by name, size and SHA-256, without the bytes), so that two
// printouts of the same record can be compared by one line.
func evidenceDigest(rounds []sqlstore.Round) (string, error) {
	b, err := json.Marshal(rounds)
	if err != nil {
		return "", fmt.Errorf("evidence digest: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// handleNegotiationEvidence handles "GET /cases/{id}/negotiation/evidence":
// every round of the case in full, oldest first, with the offers made, the
// attachments' SHA-256 and the agreements, as one printable file.
func (s *Server) handleNegotiationEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	by := actorOf(r)
	rounds, err := s.neg.Rounds(r.Context(), by, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	offers, err := s.neg.Offers(r.Context(), by, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	agreements, err := s.neg.Agreements(r.Context(), by, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	digest, err := evidenceDigest(rounds)
	if err != nil {
		s.error(w, r, err)
		return
	}
	kinds := map[int64]string{}
	for _, o := range offers {
		kinds[o.ID] = string(o.Offer.Kind)
	}
	out := make([]evidenceRound, len(rounds))
	files := 0
	for i, rd := range rounds {
		out[i] = evidenceRound{Round: rd, Seq: i + 1}
		for _, oid := range rd.OffersMade {
			out[i].Offers = append(out[i].Offers, evidenceOffer{ID: oid, Kind: kinds[oid]})
		}
		files += len(rd.Attachments)
	}
	var borrower int64
	if len(rounds) > 0 {
		borrower = rounds[0].BorrowerID
	}
	s.render(w, r, http.StatusOK, "negotiation_evidence.html", map[string]any{"CaseID": id, "BorrowerID": borrower,
		"Rounds": out, "Files": files, "Agreements": agreements, "Digest": digest,
		"PrintedAt": s.now().In(s.zone()).Format(time.DateTime), "PrintedBy": by.User.Username, "T": negLabels(langOf(r))})
}

// handleNegotiationAttachment handles "GET /api/v1/attachments/{id}": a
// round's file as stored, with its SHA-256 in X-Content-SHA256. Outside
// the caller's scope it answers 404, as for a missing file.
func (s *Server) handleNegotiationAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.neg.Attachment(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(a.Name))
	w.Header().Set("X-Content-SHA256", a.SHA256)
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
	_, _ = w.Write(a.Data)
}

// handleAgreementSignedCopy handles "POST /agreements/{id}/signed-copy":
// the borrower's signed copy (multipart field "file") accepts the
// agreement, which activates the plan in the same transaction.
func (s *Server) handleAgreementSignedCopy(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	files, err := formFiles(r, "file", 1)
	if err == nil && len(files) == 0 {
		err = errs.Field("file", "choose the scan or photo of the signed agreement")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.neg.UploadSignedCopy(r.Context(), actorOf(r), id, files[0]); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/agreements/"+strconv.FormatInt(id, 10)+"?saved=accepted", http.StatusSeeOther)
}

// formFiles reads the files of multipart field name (at most max; empty
// parts are skipped). It returns an Invalid error naming the field when
// there are more.
func formFiles(r *http.Request, name string, max int) ([]negotiation.NewAttachment, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	hdrs := r.MultipartForm.File[name]
	if len(hdrs) > max {
		return nil, errs.Field(name, "at most %d files", max)
	}
	var out []negotiation.NewAttachment
	for _, fh := range hdrs {
		data, err := readPart(fh)
		if err != nil {
			return nil, errs.Field(name, "%s could not be read: %v", fh.Filename, err)
		}
		if len(data) == 0 {
			continue
		}
		out = append(out, negotiation.NewAttachment{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data})
	}
	return out, nil
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
