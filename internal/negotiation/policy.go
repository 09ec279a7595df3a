package negotiation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// MaxPolicyBytes is the largest offer policy document accepted.
const MaxPolicyBytes = 256 << 10

// Offer policies are versioned like strategies: a supervisor saves a
// document (offer.ParsePolicy reads it) as a draft version of the policy it
// names, another user publishes it (four eyes), and an experiment can run a
// challenger version on a share of borrowers beside the champion. Editing
// them takes the strategy permission.
func requirePolicyEdit(by collect.Actor) error {
	if !by.User.Can(auth.PermStrategyEdit) {
		return errs.Errorf(errs.Forbidden, "Your role may not edit offer policies.")
	}
	return nil
}

// CheckOfferPolicy parses and validates a policy document without saving
// it. It returns an Invalid error naming the fields at fault.
func CheckOfferPolicy(raw []byte) (offer.Policy, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return offer.Policy{}, errs.Field("body", "is empty")
	}
	if len(raw) > MaxPolicyBytes {
		return offer.Policy{}, errs.Field("body", "is %d bytes; the limit is %d", len(raw), MaxPolicyBytes)
	}
	return offer.ParsePolicy(raw)
}

// storedPolicy returns the policy of stored version v, named and numbered
// as stored.
func storedPolicy(v sqlstore.OfferPolicyVersion) (offer.Policy, error) {
	p, err := offer.ParsePolicy(v.Body)
	if err != nil {
		return p, fmt.Errorf("offer policy version %d: %w", v.ID, err)
	}
	p.Name, p.Version = v.Name, v.Version
	return p, nil
}

// CreateOfferPolicyVersion saves raw as a new draft version of the policy
// it names, after checking it as CheckOfferPolicy does.
func (s *Service) CreateOfferPolicyVersion(ctx context.Context, by collect.Actor, raw []byte) (sqlstore.OfferPolicyVersion, error) {
	if err := requirePolicyEdit(by); err != nil {
		return sqlstore.OfferPolicyVersion{}, err
	}
	p, err := CheckOfferPolicy(raw)
	if err != nil {
		return sqlstore.OfferPolicyVersion{}, err
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, bytes.TrimSpace(raw), "", "  "); err != nil {
		return sqlstore.OfferPolicyVersion{}, errs.Field("body", "%v", err)
	}
	v := sqlstore.OfferPolicyVersion{Name: p.Name, Body: pretty.Bytes(), CreatedBy: by.User.Username}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.CreateOfferPolicyVersion(ctx, &v); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "offer_policy.create", "offer_policy", strconv.FormatInt(v.ID, 10),
			map[string]any{"name": v.Name, "version": v.Version}))
	})
	if err != nil {
		return sqlstore.OfferPolicyVersion{}, fmt.Errorf("save offer policy: %w", err)
	}
	return v, nil
}

// OfferPolicyVersions lists the latest versions, newest first.
func (s *Service) OfferPolicyVersions(ctx context.Context, by collect.Actor) ([]sqlstore.OfferPolicyVersion, error) {
	if err := mayReadPolicies(by); err != nil {
		return nil, err
	}
	var out []sqlstore.OfferPolicyVersion
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.OfferPolicyVersions(ctx, 200)
		return err
	})
	return out, err
}

// PublishOfferPolicy makes version id the policy ProposeOffers uses (the
// champion), retiring the version published before. Four eyes: the user
// who saved the version may not publish it (Forbidden); unattended work (a
// System actor) is not held to that. It returns NotFound, or a Conflict
// error for a retired version.
func (s *Service) PublishOfferPolicy(ctx context.Context, by collect.Actor, id int64) (sqlstore.OfferPolicyVersion, error) {
	if err := requirePolicyEdit(by); err != nil {
		return sqlstore.OfferPolicyVersion{}, err
	}
	var v sqlstore.OfferPolicyVersion
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		old, err := tx.OfferPolicyVersion(ctx, id)
		if err != nil {
			return err
		}
		if err := s.policyFourEyes(by, old); err != nil {
			return err
		}
		if _, err := storedPolicy(old); err != nil {
			return err
		}
		prev, err := tx.PublishedOfferPolicy(ctx)
		if err != nil && errs.CodeOf(err) != errs.NotFound {
			return err
		}
		if v, err = tx.PublishOfferPolicyVersion(ctx, id, by.User.Username); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "offer_policy.publish", "offer_policy", strconv.FormatInt(id, 10),
			map[string]any{"name": v.Name, "version": v.Version, "replaces": prev.ID, "written_by": old.CreatedBy}))
	})
	if err != nil {
		return sqlstore.OfferPolicyVersion{}, fmt.Errorf("publish offer policy %d: %w", id, err)
	}
	return v, nil
}

// policyFourEyes refuses the writer of a draft publishing it, unless the
// service was built with Options.PolicySingleApprover.
func (s *Service) policyFourEyes(by collect.Actor, v sqlstore.OfferPolicyVersion) error {
	if s.solo || by.User.ID == 0 || v.Status != sqlstore.StrategyDraft || v.CreatedBy != by.User.Username {
		return nil
	}
	return errs.Errorf(errs.Forbidden,
		"Four eyes: you wrote offer policy version %d, so another user with the strategy permission must publish it.", v.ID)
}
