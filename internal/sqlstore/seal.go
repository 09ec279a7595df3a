package sqlstore

import (
	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/pii"
)

// sealedBorrower is a borrower's columns as stored: PII encrypted, hashed
// and masked, lists as JSON.
type sealedBorrower struct {
	idEnc            []byte
	idHash, idMasked string
	addresses, flags string
	phones           []sealedPhone
}

type sealedPhone struct {
	enc                []byte
	hash, masked, kind string
}

func (tx *Tx) sealBorrower(b *borrower.Borrower) (sealedBorrower, error) {
	var p sealedBorrower
	var err error
	if p.idEnc, err = tx.encrypt(b.NationalID); err != nil {
		return p, err
	}
	p.idHash, p.idMasked = tx.hash(b.NationalID), pii.MaskNationalID(b.NationalID)
	if p.addresses, err = toJSON(b.Addresses); err != nil {
		return p, err
	}
	if p.flags, err = toJSON(b.Flags); err != nil {
		return p, err
	}
	for _, ph := range b.Phones {
		enc, err := tx.encrypt(ph.Number)
		if err != nil {
			return p, err
		}
		p.phones = append(p.phones, sealedPhone{enc, tx.hash(ph.Number), pii.MaskPhone(ph.Number), ph.Kind})
	}
	return p, nil
}

// encrypt and hash go through the cipher, which a DB opened without one lacks.
func (tx *Tx) encrypt(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	if tx.db.cipher == nil {
		return nil, errs.Errorf(errs.Internal, "No PII key is configured.")
	}
	return tx.db.cipher.Encrypt(s)
}

func (tx *Tx) decrypt(b []byte) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	if tx.db.cipher == nil {
		return "", errs.Errorf(errs.Internal, "No PII key is configured.")
	}
	return tx.db.cipher.Decrypt(b)
}

func (tx *Tx) hash(s string) string {
	if tx.db.cipher == nil {
		return ""
	}
	return tx.db.cipher.Hash(s)
}

// phoneHashes returns the hash and kind of each phone, to compare phone lists
// without decrypting.
func phoneHashes(phones []sealedPhone) []string {
	out := make([]string, len(phones))
	for i, p := range phones {
		out[i] = p.hash + "/" + p.kind
	}
	return out
}
