package compliance

import (
	"fmt"
	"testing"
	"time"
)

// benchInput is a borrower with a 90-day history in memory and a proposal
// at 15:00 local on the 90th day.
//
// CN: 360 attempts, four a day: three calls over two numbers by the lender
// and two agencies (mostly unanswered, some connected) and an SMS. US: 335
// attempts: a call on weekdays (5 in any 7 days, a conversation every 10
// days) and three texts a day. With block set, the last day already has
// three connected calls (CN) or a conversation (US), so rules fire and the
// decision carries details and evidence.
func benchInput(j Jurisdiction, channel Channel, block bool) Input {
	zone := "Asia/Shanghai"
	if j == US {
		zone = "America/New_York"
	}
	loc, _ := time.LoadLocation(zone)
	start := time.Date(2026, 1, 14, 9, 0, 0, 0, loc)
	phones := []string{"+8613800138000", "+8613900139000"}
	by := []string{"lender", "agency-a", "agency-b"}
	outcomes := []Outcome{NoAnswer, Busy, NoAnswer, Refused, Voicemail, Connected, NoAnswer, InvalidNumber}
	var h []Attempt
	add := func(day, hour int, ch Channel, to string, o Outcome) {
		h = append(h, Attempt{ID: fmt.Sprintf("a%d", len(h)), At: start.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour),
			Channel: ch, To: to, Party: ToBorrower, By: by[len(h)%3], Outcome: o, Debts: []string{"L1"}})
	}
	for d := range 90 {
		switch j {
		case CN:
			for k := range 3 {
				o := outcomes[(d*3+k)%len(outcomes)]
				if d == 89 {
					o = NoAnswer
					if block {
						o = Connected
					}
				}
				add(d, 2*k, Call, phones[k%2], o)
			}
			add(d, 1, SMS, phones[0], Delivered)
		case US:
			if d%7 < 5 && d != 89 {
				o := NoAnswer
				if d%10 == 0 || (block && d == 86) {
					o = Connected
				}
				add(d, 0, Call, phones[d%2], o)
			}
			for k := range 3 {
				add(d, 2*k+1, SMS, phones[0], Delivered)
			}
		}
	}
	p := Proposed{At: start.AddDate(0, 0, 89).Add(6 * time.Hour), Channel: channel, To: phones[0], Party: ToBorrower,
		By: "agency-a", Debts: []string{"L1"}}
	if channel == SMS {
		p.Text = "【某消费金融】尊敬的客户，您的借款本期应还1,280.00元，可免除部分罚息，请按时还款，如有疑问请致电客服。Reply STOP to opt out."
	}
	return Input{
		Jurisdiction: j,
		Borrower: Borrower{ID: "b1", TimeZones: []string{zone}, Phones: phones, Flags: []string{FlagOutsourcingNotified},
			Consents: []Consent{{Kind: ConsentContactWindow, Window: "21:00-22:30", Expires: start.AddDate(1, 0, 0)}}},
		Contacts: []Contact{{ID: "c1", Relationship: "mother", Registered: true, Phone: "+8613700137000"}},
		History:  h,
		Proposed: p,
	}
}

// BenchmarkCheck measures decisions per second with a 90-day history in
// memory (docs/BENCHMARKS.md). Run:
//
//	go test -run XXX -bench Check -benchmem -cpu 1 ./internal/compliance
func BenchmarkCheck(b *testing.B) {
	g := New(nil, nil)
	for _, bc := range []struct {
		name    string
		j       Jurisdiction
		channel Channel
		block   bool
		want    Action
	}{
		{"CN/call/allow", CN, Call, false, Allow},
		{"CN/call/block", CN, Call, true, Block},
		{"CN/sms/allow", CN, SMS, false, Allow},
		{"US/call/allow", US, Call, false, Allow},
		{"US/call/block", US, Call, true, Block},
		{"US/sms/allow", US, SMS, false, Allow},
	} {
		in := benchInput(bc.j, bc.channel, bc.block)
		if got := g.Check(in); got.Action != bc.want {
			b.Fatalf("%s: decision %s %v, want %s", bc.name, got.Action, got.Rules, bc.want)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				g.Check(in)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
		})
	}
}
