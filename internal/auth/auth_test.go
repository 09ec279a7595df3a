package auth

import (
	"errors"
	"testing"
)

func TestPassword(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPassword(h, "correct horse battery"); err != nil {
		t.Errorf("right password refused: %v", err)
	}
	if err := CheckPassword(h, "correct horse batterz"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("wrong password: err = %v", err)
	}
	if h2, _ := HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of one password are equal: salt not random")
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("short password accepted")
	}
	if err := CheckPassword("garbage", "x"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("garbage hash: %v", err)
	}
}

func TestUser_Can(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		u    User
		p    Permission
		want bool
	}{
		{"admin manages users", User{Roles: []Role{Admin}}, PermUserManage, true},
		{"collector cannot manage users", User{Roles: []Role{Collector}}, PermUserManage, false},
		{"auditor reads audit", User{Roles: []Role{Auditor}}, PermAuditRead, true},
		{"auditor cannot post payments", User{Roles: []Role{Auditor}}, PermPaymentWrite, false},
		{"compliance cannot reveal pii", User{Roles: []Role{Compliance}}, PermPIIReveal, false},
		{"any role of several", User{Roles: []Role{Auditor, Collector}}, PermPaymentWrite, true},
		{"disabled user can do nothing", User{Roles: []Role{Admin}, Disabled: true}, PermSelf, false},
		{"no roles, no rights", User{}, PermSelf, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.u.Can(tt.p); got != tt.want {
				t.Errorf("Can(%s) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}
