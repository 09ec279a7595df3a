package strategy

import (
	"math"
	"testing"

	"accord/internal/errs"
)

func TestArm(t *testing.T) {
	t.Parallel()
	// Pinned values, computed independently (Python hashlib): the split must
	// never change between releases, or borrowers would switch arms
	// mid-experiment.
	exp := Experiment{ID: 7, Champion: 1, Challenger: 2, ChallengerShare: 0.5}
	pinned := []struct {
		id   int64
		u    float64
		want string
	}{
		{1, 0.48433099515093603, Challenger}, {2, 0.6846355169641752, Champion},
		{3, 0.21058625073340376, Challenger}, {4, 0.8697153015301584, Champion},
		{8, 0.25860281061480217, Challenger}, {10, 0.5848544240122353, Champion},
	}
	for _, p := range pinned {
		if got := unit(exp.ID, p.id); got != p.u {
			t.Errorf("unit(7, %d) = %v, want %v", p.id, got, p.u)
		}
		if got := Arm(exp, p.id); got != p.want {
			t.Errorf("Arm(7, %d) = %s, want %s", p.id, got, p.want)
		}
	}
	tests := []struct {
		name  string
		share float64
		want  string
	}{
		{"share 0 is all champion", 0, Champion},
		{"share 1 is all challenger", 1, Challenger},
	}
	for _, tt := range tests {
		for id := int64(1); id <= 1000; id++ {
			if got := Arm(Experiment{ID: 3, ChallengerShare: tt.share}, id); got != tt.want {
				t.Fatalf("%s: Arm(%d) = %s", tt.name, id, got)
			}
		}
	}
}

func TestArm_Golden(t *testing.T) {
	t.Parallel()
	// unit(7, 42) is SHA-256("accord/experiment:7:42"), first 8 bytes >> 11, / 2^53.
	u := unit(7, 42)
	if u < 0 || u >= 1 {
		t.Fatalf("unit = %v", u)
	}
	if got, want := Arm(Experiment{ID: 7, ChallengerShare: u}, 42), Champion; got != want {
		t.Errorf("share equal to u: %s, want %s (u < share is challenger)", got, want)
	}
	if got := Arm(Experiment{ID: 7, ChallengerShare: math.Nextafter(u, 1)}, 42); got != Challenger {
		t.Errorf("share just above u: %s, want challenger", got)
	}
}

func TestArm_Distribution(t *testing.T) {
	t.Parallel()
	const n = 100_000
	for _, share := range []float64{0.1, 0.2, 0.5, 0.9} {
		exp := Experiment{ID: 11, Champion: 1, Challenger: 2, ChallengerShare: share}
		hits := 0
		for id := int64(1); id <= n; id++ {
			if Arm(exp, id) == Challenger {
				hits++
			}
		}
		// 4 standard deviations of a binomial(n, share).
		tol := 4 * math.Sqrt(n*share*(1-share))
		if math.Abs(float64(hits)-n*share) > tol {
			t.Errorf("share %.1f: %d of %d in challenger, want %.0f ± %.0f", share, hits, n, n*share, tol)
		}
	}
	// Different experiments split independently.
	a, b := Experiment{ID: 1, ChallengerShare: 0.5}, Experiment{ID: 2, ChallengerShare: 0.5}
	same := 0
	for id := int64(1); id <= n; id++ {
		if Arm(a, id) == Arm(b, id) {
			same++
		}
	}
	if math.Abs(float64(same)-n/2) > 4*math.Sqrt(n*0.25) {
		t.Errorf("experiments 1 and 2 agree on %d of %d borrowers, want about half", same, n)
	}
	// Raising the share only moves borrowers to the challenger.
	lo, hi := Experiment{ID: 5, ChallengerShare: 0.2}, Experiment{ID: 5, ChallengerShare: 0.3}
	for id := int64(1); id <= 10_000; id++ {
		if Arm(lo, id) == Challenger && Arm(hi, id) != Challenger {
			t.Fatalf("borrower %d left the challenger when the share rose", id)
		}
	}
}

func TestExperiment_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		e    Experiment
		ok   bool
	}{
		{"ok", Experiment{ID: 1, Champion: 1, Challenger: 2, ChallengerShare: 0.2}, true},
		{"same version", Experiment{ID: 1, Champion: 1, Challenger: 1, ChallengerShare: 0.2}, false},
		{"share above 1", Experiment{ID: 1, Champion: 1, Challenger: 2, ChallengerShare: 1.2}, false},
		{"negative share", Experiment{ID: 1, Champion: 1, Challenger: 2, ChallengerShare: -0.1}, false},
		{"NaN share", Experiment{ID: 1, Champion: 1, Challenger: 2, ChallengerShare: math.NaN()}, false},
	}
	for _, tt := range tests {
		err := tt.e.Validate()
		if (err == nil) != tt.ok || (err != nil && errs.CodeOf(err) != errs.Invalid) {
			t.Errorf("%s: Validate() = %v", tt.name, err)
		}
	}
	e := Experiment{ID: 9, Champion: 10, Challenger: 20, ChallengerShare: 1}
	if e.Version(5) != 20 {
		t.Errorf("Version() = %d, want the challenger", e.Version(5))
	}
}
