package strategy

import (
	_ "embed"
	"fmt"
)

//go:embed default.json
var defaultJSON []byte

// DefaultDefinition returns Accord's starting strategy, written in the same
// JSON format supervisors edit (default.json in this package). In order:
//
//	vulnerable            → specialist call queue, no automated messages
//	disputed              → disputes queue (verify before asking for payment)
//	with an agency        → the agency's queue
//	M1–M2 with email      → email reminder, then continue
//	M6+ unwilling         → legal referral (unless a promise is open)
//	willing_unable        → negotiation offer (展期) + negotiation call + plan invitation SMS
//	M4+ high / unwilling_able → agency placement (≤30% commission, 90 days)
//	M3+ high / unwilling_able → field-visit recommendation + late-stage call
//	M1 low                → SMS reminder
//	M1                    → early call queue + SMS
//	M2                    → mid call queue + firm, factual SMS
//	anything else         → late-stage call queue
func DefaultDefinition() Definition {
	d, err := ParseDefinition(defaultJSON)
	if err != nil {
		panic(fmt.Sprintf("strategy: default.json: %v", err)) // a test compiles it
	}
	return d
}
