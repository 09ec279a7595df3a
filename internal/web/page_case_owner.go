package web

import (
	"context"

	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/sqlstore"
)

// unassignedLabel is how the console shows a case nobody owns.
var unassignedLabel = [2]string{"未分配", "Unassigned"}

// ownerLabel is owner o as a reader sees it in lang: the collector's or
// agency's name from names, or 未分配 / Unassigned.
func ownerLabel(lang string, o casework.Owner, names map[casework.Owner]string) string {
	if o.IsZero() {
		if lang == "en" {
			return unassignedLabel[1]
		}
		return unassignedLabel[0]
	}
	if n := names[o]; n != "" {
		return n
	}
	return o.String()
}

// caseOwnerLabels maps each case of list to its owner's label in lang.
func (s *Server) caseOwnerLabels(ctx context.Context, by collect.Actor, lang string, list []sqlstore.Case) (map[int64]string, error) {
	owners := make([]casework.Owner, 0, len(list))
	for _, c := range list {
		owners = append(owners, c.Owner)
	}
	names, err := s.svc.OwnerNames(ctx, by, owners)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(list))
	for _, c := range list {
		out[c.ID] = ownerLabel(lang, c.Owner, names)
	}
	return out, nil
}
