package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// MaxStrategyBytes is the largest strategy definition accepted.
const MaxStrategyBytes = 256 << 10

func (s *Service) requireStrategy(by Actor) error {
	if !by.User.Can(auth.PermStrategyEdit) {
		return errs.Errorf(errs.Forbidden, "Your role may not edit strategies.")
	}
	return nil
}

// CheckStrategy parses and compiles a definition without saving it. It
// returns an Invalid error with the JSON's line and column for a syntax
// error, or a *strategy.CompileError listing every problem by rule index,
// rule name, field and, in a condition, line and column.
func CheckStrategy(raw []byte) (*strategy.Program, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errs.Field("definition", "is empty")
	}
	if len(raw) > MaxStrategyBytes {
		return nil, errs.Field("definition", "is %d bytes; the limit is %d", len(raw), MaxStrategyBytes)
	}
	def, err := strategy.ParseDefinition(raw)
	if err != nil {
		return nil, err
	}
	return strategy.Compile(def)
}

// CreateStrategyVersion saves raw as a new draft version of the strategy it
// names, after checking it as CheckStrategy does; a refused definition
// changes nothing, and the published version keeps running.
func (s *Service) CreateStrategyVersion(ctx context.Context, by Actor, raw []byte) (sqlstore.StrategyVersion, error) {
	if err := s.requireStrategy(by); err != nil {
		return sqlstore.StrategyVersion{}, err
	}
	prog, err := CheckStrategy(raw)
	if err != nil {
		return sqlstore.StrategyVersion{}, err
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, bytes.TrimSpace(raw), "", "  "); err != nil {
		return sqlstore.StrategyVersion{}, errs.Field("definition", "%v", err)
	}
	v := sqlstore.StrategyVersion{Name: strings.TrimSpace(prog.Definition().Name), Definition: ReadableDefinition(pretty.Bytes()),
		CreatedBy: by.User.Username}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.CreateStrategyVersion(ctx, &v); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "strategy.create", "strategy", strconv.FormatInt(v.ID, 10),
			map[string]any{"name": v.Name, "version": v.Version, "rules": len(prog.Definition().Rules)}))
	})
	if err != nil {
		return sqlstore.StrategyVersion{}, fmt.Errorf("save strategy: %w", err)
	}
	return v, nil
}

// StrategyVersions lists the latest versions, newest first.
func (s *Service) StrategyVersions(ctx context.Context, by Actor) ([]sqlstore.StrategyVersion, error) {
	if err := s.requireStrategy(by); err != nil {
		return nil, err
	}
	var out []sqlstore.StrategyVersion
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.StrategyVersions(ctx, 200)
		return err
	})
	return out, err
}

// StrategyVersion returns version id. It returns a NotFound error if there
// is none.
func (s *Service) StrategyVersion(ctx context.Context, by Actor, id int64) (sqlstore.StrategyVersion, error) {
	if err := s.requireStrategy(by); err != nil {
		return sqlstore.StrategyVersion{}, err
	}
	var v sqlstore.StrategyVersion
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		v, err = tx.StrategyVersion(ctx, id)
		return err
	})
	return v, err
}

// PublishStrategy makes version id the champion from the next nightly run,
// retiring the version published before. It returns NotFound, a Conflict
// error for a retired version, or the compile error of a version that no
// longer compiles (the published version then stays).
//
// Four eyes: unless the service was built with StrategySingleApprover, the
// user who wrote the version (its CreatedBy: versions are never edited in
// place, so the writer is its last editor) may not publish it; that answers
// Forbidden and the refusal is audited (strategy.publish_refused). The rule
// is for people: unattended work (a System actor, such as the demo loading
// Accord's shipped default) is not held to it. The publish event records
// who wrote the version and who published it.
func (s *Service) PublishStrategy(ctx context.Context, by Actor, id int64) (sqlstore.StrategyVersion, error) {
	if err := s.requireStrategy(by); err != nil {
		return sqlstore.StrategyVersion{}, err
	}
	var v sqlstore.StrategyVersion
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		old, err := tx.StrategyVersion(ctx, id)
		if err != nil {
			return err
		}
		if err := s.fourEyes(by, old); err != nil {
			return err
		}
		if _, err := CheckStrategy(old.Definition); err != nil {
			return err
		}
		prev, err := tx.PublishedStrategy(ctx)
		if err != nil && !notFoundErr(err) {
			return err
		}
		if v, err = tx.PublishStrategyVersion(ctx, id, by.User.Username); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "strategy.publish", "strategy", strconv.FormatInt(id, 10),
			map[string]any{"name": v.Name, "version": v.Version, "replaces": prev.ID, "written_by": old.CreatedBy,
				"four_eyes": !s.solo && by.User.ID != 0}))
	})
	if errs.CodeOf(err) == errs.Forbidden {
		s.auditRefusedPublish(ctx, by, id, err)
	}
	if err != nil {
		return sqlstore.StrategyVersion{}, fmt.Errorf("publish strategy %d: %w", id, err)
	}
	return v, nil
}

// fourEyes refuses of a writer publishing their own version.
func (s *Service) fourEyes(by Actor, v sqlstore.StrategyVersion) error {
	if s.solo || by.User.ID == 0 || v.Status != sqlstore.StrategyDraft || v.CreatedBy != by.User.Username {
		return nil // single approver configured, unattended setup (System), or not the writer
	}
	return errs.Errorf(errs.Forbidden, "Four eyes: you wrote strategy version %d, so another user with the strategy permission must publish it.", v.ID)
}

// auditRefusedPublish records a publication refused by the four-eyes rule,
// in its own transaction (the refused one wrote nothing).
func (s *Service) auditRefusedPublish(ctx context.Context, by Actor, id int64, cause error) {
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.AppendAudit(ctx, s.event(by, "strategy.publish_refused", "strategy", strconv.FormatInt(id, 10),
			map[string]any{"reason": "four_eyes", "message": errs.MessageOf(cause)}))
	})
	if err != nil {
		s.log.Error("audit refused strategy publication", "strategy", id, "err", err)
	}
}

// StrategyDiff is version id's definition compared line by line with the
// published one (Accord's default definition when none is published).
type StrategyDiff struct {
	Against sqlstore.StrategyVersion // the published version; ID 0 for the default
	Lines   []strategy.DiffLine
	Changed bool
}

// DiffStrategy compares version id with the published version.
func (s *Service) DiffStrategy(ctx context.Context, by Actor, id int64) (StrategyDiff, error) {
	v, err := s.StrategyVersion(ctx, by, id)
	if err != nil {
		return StrategyDiff{}, err
	}
	pub, err := s.PublishedStrategy(ctx)
	if err != nil {
		return StrategyDiff{}, err
	}
	lines := strategy.Diff(string(ReadableDefinition(pub.Definition)), string(ReadableDefinition(v.Definition)))
	return StrategyDiff{Against: pub, Lines: lines, Changed: strategy.DiffChanged(lines)}, nil
}

// PublishedStrategy returns the published version, or Accord's default
// definition as an unsaved version (ID 0) when none is published.
func (s *Service) PublishedStrategy(ctx context.Context) (sqlstore.StrategyVersion, error) {
	var v sqlstore.StrategyVersion
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		v, err = tx.PublishedStrategy(ctx)
		return err
	})
	if notFoundErr(err) {
		raw, err := json.MarshalIndent(strategy.DefaultDefinition(), "", "  ")
		return sqlstore.StrategyVersion{Name: "default", Definition: ReadableDefinition(raw)}, err
	}
	return v, err
}

// ReadableDefinition returns the JSON raw with the escapes \u0026, \u003c
// and \u003e (which encoding/json writes for &, < and > to keep JSON safe
// inside HTML) turned back into the characters, so that a condition such as
// dpd >= 30 && amount > 500000 reads as written wherever it is shown or
// edited. The JSON means the same; an escaped backslash is left alone.
func ReadableDefinition(raw []byte) []byte {
	if !bytes.Contains(raw, []byte(`\u00`)) {
		return raw
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 == len(raw) {
			out = append(out, raw[i])
			continue
		}
		if i+6 <= len(raw) && raw[i+1] == 'u' {
			switch strings.ToLower(string(raw[i+2 : i+6])) {
			case "0026":
				out, i = append(out, '&'), i+5
				continue
			case "003c":
				out, i = append(out, '<'), i+5
				continue
			case "003e":
				out, i = append(out, '>'), i+5
				continue
			}
		}
		out, i = append(out, raw[i], raw[i+1]), i+1 // any other escape, kept whole
	}
	return out
}

// PreviewStrategy evaluates raw (a definition, checked as CheckStrategy
// does) over every open case as the last nightly run left it, without
// acting on any: how many cases each rule would match and decide, and how
// many treatments of each kind would follow.
func (s *Service) PreviewStrategy(ctx context.Context, by Actor, raw []byte) (strategy.PreviewResult, error) {
	if err := s.requireStrategy(by); err != nil {
		return strategy.PreviewResult{}, err
	}
	prog, err := CheckStrategy(raw)
	if err != nil {
		return strategy.PreviewResult{}, err
	}
	today := s.Today()
	var sum strategy.PreviewResult
	batch := make([]strategy.Facts, 0, 2000)
	err = s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		flush := func() error { // with each case's latest stored score, as the nightly run reads it
			var err error
			sum, err = previewBatch(ctx, tx, prog, batch, today, sum)
			batch = batch[:0]
			return err
		}
		err := tx.EachOpenCase(ctx, func(c sqlstore.Case) error {
			batch = append(batch, caseFacts(&c, today, c.Arm))
			if len(batch) == cap(batch) {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	})
	if err != nil {
		return strategy.PreviewResult{}, fmt.Errorf("preview strategy: %w", err)
	}
	return sum, nil
}

// mergePreview adds b's counts to a's.
func mergePreview(a, b strategy.PreviewResult) strategy.PreviewResult {
	if a.Rules == nil {
		return b
	}
	a.Total += b.Total
	a.Unmatched += b.Unmatched
	for i := range a.Rules {
		a.Rules[i].Matched += b.Rules[i].Matched
		a.Rules[i].Decided += b.Rules[i].Decided
		a.Rules[i].Errors += b.Rules[i].Errors
	}
	for k, n := range b.ByTreatment {
		a.ByTreatment[k] += n
	}
	return a
}

// MayPublishStrategy reports, as PublishStrategy would, whether by may
// publish v: nil, or the Forbidden error of the four-eyes rule. The console
// uses it to say so before anyone tries.
func (s *Service) MayPublishStrategy(by Actor, v sqlstore.StrategyVersion) error {
	if err := s.requireStrategy(by); err != nil {
		return err
	}
	return s.fourEyes(by, v)
}
