package auth

import (
	"slices"

	"accord/internal/errs"
)

// Role is a job in the collections department.
type Role string

// The roles.
const (
	Admin       Role = "admin"        // configures the system and manages users
	Supervisor  Role = "supervisor"   // runs teams, strategies and experiments
	Collector   Role = "collector"    // works cases by phone and message (电催)
	FieldAgent  Role = "field_agent"  // visits borrowers (外访)
	Negotiator  Role = "negotiator"   // builds repayment plans (二次协商)
	Compliance  Role = "compliance"   // reviews contacts, rules and complaints
	AgencyAgent Role = "agency_agent" // works placed cases for an outside agency
	Auditor     Role = "auditor"      // reads everything, changes nothing
	BotChannel  Role = "bot_channel"  // a messaging-channel integration of the borrower chatbot (API token only)
)

// Roles lists every role, in display order.
var Roles = []Role{Admin, Supervisor, Collector, FieldAgent, Negotiator, Compliance, AgencyAgent, Auditor, BotChannel}

// ParseRole returns the role named s or an Invalid error.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles, r) {
		return "", errs.Errorf(errs.Invalid, "Unknown role %q.", s)
	}
	return r, nil
}

// Permission is one thing a user may do.
type Permission string

// The permissions. Each HTTP route and CLI action requires exactly one.
const (
	PermBorrowerRead   Permission = "borrower:read"
	PermBorrowerWrite  Permission = "borrower:write"
	PermPIIReveal      Permission = "pii:reveal" // see an unmasked national id or phone (audited)
	PermLoanRead       Permission = "loan:read"
	PermLoanWrite      Permission = "loan:write"
	PermPaymentWrite   Permission = "payment:write"
	PermPaymentReverse Permission = "payment:reverse"
	PermImport         Permission = "import:run"
	PermPortfolioRead  Permission = "portfolio:read"
	PermRunCycle       Permission = "cycle:run"
	PermAuditRead      Permission = "audit:read"
	PermUserManage     Permission = "user:manage"
	PermTokenManage    Permission = "token:manage"
	PermSelf           Permission = "self" // any signed-in user: own profile, language, sign out

	// The daily collections cycle (cases, queues, strategies, experiments).
	PermCaseWork       Permission = "case:work"       // work own queue and cases, log notes and outcomes
	PermCaseManage     Permission = "case:manage"     // see team queues, reassign cases, manage teams and agencies
	PermStrategyEdit   Permission = "strategy:edit"   // edit, preview and publish strategy versions and experiments
	PermDashboardRead  Permission = "dashboard:read"  // collections dashboard and experiment results
	PermContactLog     Permission = "contact:log"     // record contact attempts, send messages (through the governor)
	PermComplianceRead Permission = "compliance:read" // blocked and warned attempts, rule hit rates, regulator export
	PermApprove        Permission = "contact:approve" // approve contacts the governor holds for approval
	PermComplianceEdit Permission = "compliance:edit" // make the tenant's contact policy stricter, edit the holiday calendar
	PermOfferApprove   Permission = "offer:approve"   // approve or reject negotiated offers, within the role's authority
	PermVisitRequest   Permission = "visit:request"   // ask for a field visit on a case one may work
	PermVisitApprove   Permission = "visit:approve"   // approve, reject and cancel visits; field pairs, day plans, visit report
	PermVisitWork      Permission = "visit:work"      // field agents: their pair's visits, check-in, outcomes
	PermBotChannel     Permission = "bot:channel"     // pass borrowers' messages from a messaging channel to the chatbot
	PermModelTrain     Permission = "model:train"     // train scoring models on the lender's history, see models and their monitoring
	PermModelApprove   Permission = "model:approve"   // approve and promote scoring models someone else trained
	PermDisputeResolve Permission = "dispute:resolve" // record the outcome of a borrower's dispute, lifting its suspension
)

// grants is the role × permission matrix. Anything not listed is denied.
var grants = map[Role][]Permission{
	Admin: {PermBorrowerRead, PermBorrowerWrite, PermPIIReveal, PermLoanRead, PermLoanWrite, PermPaymentWrite,
		PermPaymentReverse, PermImport, PermPortfolioRead, PermRunCycle, PermAuditRead, PermUserManage, PermTokenManage, PermSelf,
		PermCaseWork, PermCaseManage, PermStrategyEdit, PermDashboardRead, PermContactLog, PermComplianceRead, PermApprove, PermComplianceEdit, PermOfferApprove,
		PermVisitRequest, PermVisitApprove, PermVisitWork, PermModelTrain, PermModelApprove, PermDisputeResolve},
	Supervisor: {PermBorrowerRead, PermPIIReveal, PermLoanRead, PermPaymentWrite, PermPaymentReverse, PermPortfolioRead, PermRunCycle, PermSelf,
		PermCaseWork, PermCaseManage, PermStrategyEdit, PermDashboardRead, PermContactLog, PermApprove, PermOfferApprove,
		PermVisitRequest, PermVisitApprove, PermModelTrain, PermModelApprove, PermDisputeResolve},
	Collector:  {PermBorrowerRead, PermPIIReveal, PermLoanRead, PermPaymentWrite, PermSelf, PermCaseWork, PermContactLog, PermVisitRequest},
	FieldAgent: {PermBorrowerRead, PermPIIReveal, PermLoanRead, PermSelf, PermCaseWork, PermContactLog, PermVisitWork},
	Negotiator: {PermBorrowerRead, PermPIIReveal, PermLoanRead, PermPaymentWrite, PermSelf, PermCaseWork, PermContactLog, PermOfferApprove,
		PermVisitRequest},
	Compliance:  {PermBorrowerRead, PermLoanRead, PermPortfolioRead, PermAuditRead, PermSelf, PermDashboardRead, PermComplianceRead, PermApprove, PermComplianceEdit, PermDisputeResolve},
	AgencyAgent: {PermBorrowerRead, PermLoanRead, PermSelf, PermCaseWork, PermContactLog},
	Auditor:     {PermBorrowerRead, PermLoanRead, PermPortfolioRead, PermAuditRead, PermSelf, PermDashboardRead, PermComplianceRead},
	BotChannel:  {PermBotChannel},
}

// RoleCan reports whether role r holds permission p.
func RoleCan(r Role, p Permission) bool { return slices.Contains(grants[r], p) }

// AllPermissions lists every permission.
var AllPermissions = []Permission{PermBorrowerRead, PermBorrowerWrite, PermPIIReveal, PermLoanRead, PermLoanWrite, PermPaymentWrite,
	PermPaymentReverse, PermImport, PermPortfolioRead, PermRunCycle, PermAuditRead, PermUserManage, PermTokenManage, PermSelf,
	PermCaseWork, PermCaseManage, PermStrategyEdit, PermDashboardRead, PermContactLog, PermComplianceRead, PermApprove, PermComplianceEdit,
	PermOfferApprove, PermVisitRequest, PermVisitApprove, PermVisitWork, PermBotChannel, PermModelTrain, PermModelApprove,
	PermDisputeResolve}
