package collect

import (
	"context"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// UsersWithPassword returns which of usernames are enabled users whose
// password is one of passwords: how serve finds demo users still signing in
// with the published demo password. Unknown names are skipped. Each check
// costs an argon2id hash, so pass a short list.
func (s *Service) UsersWithPassword(ctx context.Context, usernames, passwords []string) ([]string, error) {
	var users []auth.User
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		for _, name := range usernames {
			u, err := tx.UserByUsername(ctx, name)
			if errs.CodeOf(err) == errs.NotFound {
				continue
			}
			if err != nil {
				return err
			}
			if !u.Disabled {
				users = append(users, u)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range users {
		for _, pw := range passwords {
			if pw != "" && auth.CheckPassword(u.PasswordHash, pw) == nil {
				out = append(out, u.Username)
				break
			}
		}
	}
	return out, nil
}
