package compliance

import "time"

// Jurisdiction selects the rule profile. The zero value means CN.
type Jurisdiction string

// The profiles.
const (
	CN Jurisdiction = "CN" // China: CBA 2026, NIFA 2024, GB/T 45251-2025 (default)
	US Jurisdiction = "US" // United States: Regulation F and the FDCPA
	UK Jurisdiction = "UK" // United Kingdom: FCA CONC 7 and FG21/1
)

// Channel is how a contact is made. Placement is not a contact but the
// handing of a case to an outside agency (委外); it is checked by the same
// governor.
type Channel string

// The channels.
const (
	Call       Channel = "call"
	SMS        Channel = "sms"
	Email      Channel = "email"
	Letter     Channel = "letter"
	Visit      Channel = "visit"
	IM         Channel = "im"          // WeChat and other instant messaging
	Bot        Channel = "bot"         // chatbot or voice bot: always automated
	Group      Channel = "group"       // a group chat or group message
	PublicPost Channel = "public_post" // notice board, social media, anything the public can see
	Placement  Channel = "placement"   // assigning the case to an agency
)

// Party is who receives a contact.
type Party string

// The parties.
const (
	ToBorrower       Party = "borrower"       // the debtor (债务人)
	ToContact        Party = "contact"        // a contact the borrower registered (登记联系人)
	ToThirdParty     Party = "third_party"    // anyone else (无关第三人)
	ToEmployer       Party = "employer"       // the borrower's employer or workplace
	ToAttorney       Party = "attorney"       // the borrower's lawyer
	ToRepresentative Party = "representative" // a person authorised to act for the borrower (e.g. a lasting power of attorney)
	ToPublic         Party = "public"
)

// Outcome is what came of a past attempt.
type Outcome string

// The outcomes. Connected is a conversation with the person called (接通);
// every other call outcome is an unanswered attempt (未接通).
const (
	Connected             Outcome = "connected"
	NoAnswer              Outcome = "no_answer"
	Busy                  Outcome = "busy"
	InvalidNumber         Outcome = "invalid_number" // never reaches a line: not a call placed under Reg F
	Voicemail             Outcome = "voicemail"
	LimitedContentMessage Outcome = "limited_content_message"
	Refused               Outcome = "refused" // rejected or hung up before speaking
	Sent                  Outcome = "sent"
	Delivered             Outcome = "delivered"
	Failed                Outcome = "failed"
)

// Input is everything the governor needs to decide on one proposed contact:
// the profile, the tenant's policy, the borrower's facts, their registered
// contacts, the contact history (90 days is plenty for every rule) and the
// proposal itself. Times are instants; the governor works out local dates
// and clock times from the borrower's candidate time zones.
type Input struct {
	Jurisdiction Jurisdiction
	Policy       Policy
	Borrower     Borrower
	Contacts     []Contact
	History      []Attempt
	Proposed     Proposed
}

// Borrower holds the facts about the debtor that the rules read.
type Borrower struct {
	ID        string
	TimeZones []string // IANA names; several when the location is uncertain
	Phones    []string
	Emails    []string
	Flags     []string // see the Flag constants
	Consents  []Consent
	OptOuts   []OptOut
}

// Borrower flags. Vulnerability has a general flag and one per cause; any of
// them marks the borrower as vulnerable.
const (
	FlagLostContact         = "lost_contact"         // 失联, set after investigation
	FlagDisputed            = "disputed"             // any dispute, oral or written
	FlagDisputeWritten      = "dispute_written"      // written dispute received within the US validation period
	FlagVerificationSent    = "verification_sent"    // US: verification or judgment copy sent
	FlagDisputeResolved     = "dispute_resolved"     // UK: outcome of the investigation recorded and sent
	FlagCease               = "cease"                // US: written refusal to pay or request to stop
	FlagAttorneyRepresented = "attorney_represented" // represented by a lawyer about this debt
	FlagAttorneyConsented   = "attorney_consented"   // the lawyer consented to direct contact or did not respond in time
	FlagCapacityConcern     = "capacity_concern"     // UK: may lack mental capacity
	FlagOutsourcingNotified = "outsourcing_notified" // told that collection is outsourced
	FlagVulnerable          = "vulnerable"
	FlagSeriousIllness      = "serious_illness"
	FlagBereavement         = "bereavement"
	FlagMentalHealth        = "mental_health"
	FlagDisability          = "disability"
	FlagOldAge              = "old_age"
	FlagJobLoss             = "job_loss"

	// FlagDebtRelatedApproved goes on a Contact: a legal determination on
	// file makes them a debt-related third party (债务相关第三人), e.g. a
	// spouse where the debt funded household spending.
	FlagDebtRelatedApproved = "debt_related_approved"
)

// Consent is a structured, recorded borrower agreement (R17). Only a consent
// that is given, not yet expired and not revoked counts.
type Consent struct {
	Kind      string    // see the ConsentKind constants
	Window    string    // contact_window: local "HH:MM-HH:MM"; may cross midnight
	Limit     int       // unanswered_attempts: attempts per number per day
	Channel   Channel   // the channel it covers; empty means every channel
	GivenAt   time.Time // required for call_frequency
	Expires   time.Time // required
	RevokedAt time.Time
}

// Consent kinds. A consent of another kind, or one missing a field its kind
// needs, makes the decision fail closed.
const (
	ConsentContactWindow      = "contact_window"      // widens the allowed hours (R01, R17, R18)
	ConsentUnansweredAttempts = "unanswered_attempts" // raises the per-number attempt limit (R03, R17)
	ConsentCallFrequency      = "call_frequency"      // US: calls excluded from 7-in-7 for 7 days (R28)
)

// OptOut is a request not to be contacted on a channel, or on one address of
// it when Address is set (US R32).
type OptOut struct {
	Channel Channel
	Address string
}

// Contact is a third party the borrower registered.
type Contact struct {
	ID           string
	Name         string
	Relationship string // spouse, mother, father, sibling, child, friend, colleague, guardian …
	Registered   bool   // given by the borrower with a recorded consent basis
	Phone        string
	Flags        []string // FlagDebtRelatedApproved
}

// Attempt is one entry of the contact history.
type Attempt struct {
	ID        string
	At        time.Time
	Channel   Channel
	Inbound   bool // the borrower or contact called or wrote in
	To        string
	Party     Party  // empty means the borrower
	Contact   string // contact id when Party is ToContact
	By        string // "lender", "system" or an agency id
	Outcome   Outcome
	Debts     []string // loan ids discussed; none means every debt
	Purpose   string
	Automated bool
}

// Proposed is the contact being decided on.
type Proposed struct {
	At            time.Time
	Channel       Channel
	To            string
	Party         Party
	Contact       string
	By            string // "lender", "system" (automated) or an agency id
	Automated     bool   // dialer or campaign; also implied by By "system" and Channel Bot
	Debts         []string
	Text          string // message, template, script or transcript to screen
	TextSource    string // message (default), template, note or transcript
	Purpose       string // see the Purpose constants
	DisclosesDebt bool   // the contact will state debt facts whatever the text says
	ApprovedRoles []string
	LegalCase     string // case number of genuine proceedings the text refers to

	// Visits.
	Collectors      []string
	RecordingDevice string
	NoticeSentAt    time.Time
	VisitPurpose    string

	// Agency placements (Channel Placement; By is the agency).
	AgencyWhitelisted bool
	AgentTrainedAt    time.Time
}

// Purposes of a contact.
const (
	PurposeCollection         = "collection"
	PurposeReminder           = "reminder"
	PurposeLocate             = "locate"  // ask a third party for the borrower's whereabouts
	PurposeMessage            = "message" // ask a third party to pass on a request to call back
	PurposeVerification       = "verification"
	PurposeDisputeResponse    = "dispute_response"
	PurposeCeaseConfirmation  = "cease_confirmation"
	PurposeRemedyNotice       = "remedy_notice"
	PurposeOptOutConfirmation = "optout_confirmation"
)
