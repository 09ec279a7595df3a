package testkit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/sqlstore/storetest"
	"accord/internal/testkit"
)

func TestClock(t *testing.T) {
	c := testkit.NewClock(testkit.T0)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { c.Advance(time.Minute) })
	}
	wg.Wait()
	if got, want := c.Now(), testkit.T0.Add(8*time.Minute); !got.Equal(want) {
		t.Errorf("after 8 concurrent one-minute advances: %v, want %v", got, want)
	}
	c.Set(testkit.T0)
	if !c.Now().Equal(testkit.T0) {
		t.Errorf("Set: %v", c.Now())
	}
}

func TestService_RunsOnTheClock(t *testing.T) {
	clock := testkit.NewClock(testkit.T0)
	svc := testkit.Service(storetest.OpenSQLite(t), clock, collect.Options{})
	if svc.Today() != testkit.Today {
		t.Errorf("Today() = %s, want %s", svc.Today(), testkit.Today)
	}
	clock.Advance(16 * time.Hour) // 02:00 the next day in Shanghai
	if got, want := svc.Today(), testkit.Today.AddDays(1); got != want {
		t.Errorf("Today() after 16 h = %s, want %s", got, want)
	}
}

func TestBorrowerWithLoans(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, e storetest.Engine) {
		svc := testkit.Service(e.Open(t), nil, collect.Options{})
		b, loans := testkit.BorrowerWithLoans(t, svc, "7", 3, &testkit.LoanOpts{Principal: 3_000_00})
		if len(loans) != 3 {
			t.Fatalf("%d loans, want 3", len(loans))
		}
		want := []string{"L-7", "L-7-2", "L-7-3"}
		for i, l := range loans {
			if l.ID == 0 || l.BorrowerID != b.ID || l.ExternalID != want[i] || l.Principal != 3_000_00 {
				t.Errorf("loan %d = id %d, borrower %d, %s, %s; want borrower %d, %s, 3000.00",
					i, l.ID, l.BorrowerID, l.ExternalID, l.Principal, b.ID, want[i])
			}
		}
		page, err := svc.Loan(context.Background(), testkit.Admin, loans[1].ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if page.Loan.ExternalID != "L-7-2" {
			t.Errorf("stored loan %s, want L-7-2", page.Loan.ExternalID)
		}
	})
}

func TestUsers_OnePerRoleWithThePassword(t *testing.T) {
	svc := testkit.Service(storetest.OpenSQLite(t), nil, collect.Options{})
	users := testkit.Users(t, svc)
	if len(users) != len(auth.Roles) {
		t.Fatalf("%d users, want one per role (%d)", len(users), len(auth.Roles))
	}
	for _, r := range auth.Roles {
		if _, _, err := svc.Login(context.Background(), string(r), testkit.Password, ""); err != nil {
			t.Errorf("%s cannot sign in with testkit.Password: %v", r, err)
		}
	}
}
