package ledger

import "testing"

// BenchmarkReplay replays a 12-installment loan with 5 payments, one of them
// partial and late, as the nightly run does for every delinquent loan.
func BenchmarkReplay(b *testing.B) {
	l := loanA()
	sched := mustSchedule(b, l)
	pays := []Payment{
		pay(1, "2026-02-15", 112_000),
		pay(2, "2026-03-20", 60_000),
		pay(3, "2026-04-02", 80_000),
		pay(4, "2026-05-15", 110_000),
		pay(5, "2026-07-01", 50_000),
	}
	pol := DefaultPolicy()
	asOf := day("2026-09-30")
	b.Run("lines", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Replay(l, sched, pays, pol, asOf)
		}
	})
	b.Run("position", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ReplayPosition(l, sched, pays, pol, asOf)
		}
	})
}

// BenchmarkSchedule computes a 12-month equal-installment schedule.
func BenchmarkSchedule(b *testing.B) {
	terms := loanA().Terms()
	terms.Method = EqualInstallment
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Schedule(terms); err != nil {
			b.Fatal(err)
		}
	}
}
