package collect

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// ApprovalTTL is how long an approval request, and the approval once
// given, stays valid.
const ApprovalTTL = 7 * 24 * time.Hour

// requestApproval returns the pending request for the contact req
// describes, creating it if there is none.
func (s *Service) requestApproval(ctx context.Context, tx *sqlstore.Tx, by Actor, req *ContactRequest, rc contactRecipient,
	d compliance.Decision) (int64, error) {
	pending, err := tx.MatchingApprovals(ctx, req.BorrowerID, req.Channel, req.Party, rc.address, s.now(), sqlstore.ApprovalPending)
	if err != nil {
		return 0, err
	}
	if len(pending) > 0 {
		return pending[0].ID, nil
	}
	roles := make([]string, len(d.RequiredRoles))
	for i, r := range d.RequiredRoles {
		roles[i] = string(r)
	}
	a := sqlstore.Approval{BorrowerID: req.BorrowerID, CaseID: req.CaseID, ContactID: rc.contactID, Channel: req.Channel,
		Party: req.Party, Address: rc.address, Purpose: req.Purpose, Text: req.Text, Rules: d.Rules, RequiredRoles: roles,
		Decision: d, RequestedBy: by.User.ID, RequestedName: by.User.Username, ExpiresAt: s.now().Add(ApprovalTTL)}
	if err := tx.CreateApproval(ctx, &a); err != nil {
		return 0, err
	}
	return a.ID, tx.AppendAudit(ctx, s.event(by, "contact.approval.request", "contact_approval", strconv.FormatInt(a.ID, 10),
		map[string]any{"borrower_id": a.BorrowerID, "channel": a.Channel, "party": a.Party, "rules": a.Rules,
			"required_roles": roles}))
}

// Approvals returns a page of approval requests (pending ones when status
// is pending), masked, newest first, with the total. It returns Forbidden
// unless by may approve contacts or read compliance records.
func (s *Service) Approvals(ctx context.Context, by Actor, f sqlstore.ApprovalFilter) ([]sqlstore.Approval, int, error) {
	if !by.User.Can(auth.PermApprove) && !by.User.Can(auth.PermComplianceRead) {
		return nil, 0, errs.Errorf(errs.Forbidden, "Your role may not see approval requests.")
	}
	var list []sqlstore.Approval
	var total int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		list, total, err = tx.Approvals(ctx, f)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list approvals: %w", err)
	}
	for i := range list {
		list[i].Address = ""
	}
	return list, total, nil
}

// DecideApproval approves or denies request id. Only a user who holds
// contact:approve and one of the roles the rules named (a supervisor for a
// visit, a compliance officer for a debt-related third party …) may decide,
// and never on their own request. An approval lets one matching contact go
// ahead before it expires; the governor still checks everything else when
// the contact is made. It returns NotFound, Forbidden, or Conflict when the
// request is no longer pending; the decision is audited.
func (s *Service) DecideApproval(ctx context.Context, by Actor, id int64, approve bool, note string) (sqlstore.Approval, error) {
	note = pii.MaskFreeText(note)
	if !by.User.Can(auth.PermApprove) {
		return sqlstore.Approval{}, errs.Errorf(errs.Forbidden, "Your role may not approve contacts.")
	}
	var out sqlstore.Approval
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		a, err := tx.Approval(ctx, id)
		if err != nil {
			return err
		}
		role, ok := approvingRole(by.User, a.RequiredRoles)
		if !ok {
			return errs.Errorf(errs.Forbidden, "Approval %d needs a %s.", id, strings.Join(a.RequiredRoles, " or "))
		}
		if a.RequestedBy != 0 && a.RequestedBy == by.User.ID {
			return errs.Errorf(errs.Forbidden, "You cannot decide on your own approval request.")
		}
		if out, err = tx.DecideApproval(ctx, id, approve, by.User.ID, by.User.Username, role, note); err != nil {
			return err
		}
		action := "contact.approval.deny"
		if approve {
			action = "contact.approval.approve"
		}
		return tx.AppendAudit(ctx, s.event(by, action, "contact_approval", strconv.FormatInt(id, 10),
			map[string]any{"borrower_id": a.BorrowerID, "rules": a.Rules, "role": role, "note": note}))
	})
	if err != nil {
		return sqlstore.Approval{}, fmt.Errorf("decide approval %d: %w", id, err)
	}
	out.Address = ""
	return out, nil
}

// approvingRole returns the first of the required roles u has; an admin
// may stand in for any role.
func approvingRole(u auth.User, required []string) (string, bool) {
	for _, r := range required {
		if u.Has(auth.Role(r)) {
			return r, true
		}
	}
	if len(required) > 0 && u.Has(auth.Admin) {
		return required[0], true
	}
	if len(required) == 0 && len(u.Roles) > 0 {
		return string(u.Roles[0]), true
	}
	return "", false
}
