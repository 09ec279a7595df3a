package web

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"accord/internal/collect"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// storePkg is the package whose row structs the API must not encode.
const storePkg = "accord/internal/sqlstore"

// TestAPITypes_NotStoreRows fails when an API operation's request or
// response reaches a sqlstore type (a field, an element, an embedded
// struct, at any depth): the JSON API's shape is owned by web or the
// domain, so a store column change cannot silently change it.
func TestAPITypes_NotStoreRows(t *testing.T) {
	s, err := New(collect.New(storetest.OpenSQLite(t), collect.Options{}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.apiOps) == 0 {
		t.Fatal("no API operation recorded its types")
	}
	found := map[string][]string{}
	exempted := map[string]bool{}
	for _, op := range s.apiOps {
		seen := map[reflect.Type]bool{}
		here := map[string][]string{}
		storeTypes(op.In, op.In.String(), seen, here)
		storeTypes(op.Out, op.Out.String(), seen, here)
		if _, ok := storeRowsExempt[op.Path]; ok {
			exempted[op.Path] = len(here) > 0
			continue
		}
		for name, paths := range here {
			found[name] = append(found[name], op.Path+": "+strings.Join(paths, ", "))
		}
	}
	var names []string
	for name := range found {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t.Errorf("the API encodes %s (%s); give it a type of its own in web or the domain", name, strings.Join(found[name], "; "))
	}
	for path := range storeRowsExempt {
		if !exempted[path] {
			t.Errorf("%s no longer encodes store rows (or is gone): remove it from storeRowsExempt", path)
		}
	}
}

// storeRowsExempt are operations still known to encode store rows, with
// why they are not mapped yet. Keep it short: each entry is debt.
var storeRowsExempt = map[string]string{}

func TestStoreTypes_FindsNestedAndEmbedded(t *testing.T) {
	type inner struct{ Rows []map[string]*storeRowForTest }
	type outer struct {
		embeddedStoreRow
		In inner
	}
	found := map[string][]string{}
	storeTypes(reflect.TypeFor[outer](), "outer", map[reflect.Type]bool{}, found)
	if len(found) != 0 {
		t.Fatalf("types of package web reported as store types: %v", found)
	}
	// The real check: a sqlstore type at any depth.
	found = map[string][]string{}
	type viaStore struct {
		X []*struct{ Y map[string]sqlstore.Team }
	}
	storeTypes(reflect.TypeFor[viaStore](), "viaStore", map[reflect.Type]bool{}, found)
	if len(found) != 1 {
		t.Errorf("a sqlstore type three levels down: found %v, want it", found)
	}
}

type storeRowForTest struct{ A int }
type embeddedStoreRow struct{ B string }

// storeTypes records in found every sqlstore type reachable from t, with
// the path it was reached by.
func storeTypes(t reflect.Type, path string, seen map[reflect.Type]bool, found map[string][]string) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		if t.Kind() == reflect.Map {
			storeTypes(t.Key(), path+"[key]", seen, found)
		}
		t = t.Elem()
	}
	if t.PkgPath() == storePkg {
		found[t.String()] = append(found[t.String()], path)
		return
	}
	if seen[t] || t.Kind() != reflect.Struct {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		storeTypes(f.Type, path+"."+f.Name, seen, found)
	}
}
