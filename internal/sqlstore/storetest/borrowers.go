package storetest

import (
	"bytes"
	"strings"
	"testing"

	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

func testBorrowerCRUD(t *testing.T, db *sqlstore.DB) {
	b := newBorrower(7)
	b.Phones = append(b.Phones, borrower.Phone{Number: "+8601088886666", Kind: "home"})
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateBorrower(ctx, &b) })
	if b.ID == 0 || b.CreatedAt.IsZero() {
		t.Fatalf("CreateBorrower left ID %d, CreatedAt %v", b.ID, b.CreatedAt)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Borrower(ctx, b.ID)
		if err != nil {
			return err
		}
		if d := diff(b, got); d != "" {
			t.Errorf("Borrower() mismatch (-want +got):\n%s", d)
		}
		byExt, err := tx.BorrowerByExternalID(ctx, b.ExternalID)
		if err != nil || byExt.ID != b.ID {
			t.Errorf("BorrowerByExternalID = %d, %v", byExt.ID, err)
		}
		_, err = tx.Borrower(ctx, b.ID+1000)
		wantCode(t, err, errs.NotFound)
		_, err = tx.BorrowerByExternalID(ctx, "nope")
		wantCode(t, err, errs.NotFound)
		return nil
	})

	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		dup := newBorrower(7)
		return tx.CreateBorrower(ctx, &dup)
	})
	wantCode(t, err, errs.Conflict)
	if !strings.Contains(errs.MessageOf(err), "B-00007") {
		t.Errorf("conflict message %q does not name the borrower", errs.MessageOf(err))
	}

	var updated borrower.Borrower
	write(t, db, func(tx *sqlstore.Tx) (err error) {
		updated, err = tx.UpdateBorrower(ctx, b.ID, sqlstore.BorrowerUpdate{
			Name:          ptr("张无忌"),
			Phones:        &[]borrower.Phone{{Number: "+8613900139000", Kind: "mobile"}},
			MonthlyIncome: ptr(money.Yuan(9_000)),
			Flags:         &[]string{},
		})
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Borrower(ctx, b.ID)
		if err != nil {
			return err
		}
		want := b
		want.Name, want.Phones, want.MonthlyIncome, want.Flags = "张无忌", []borrower.Phone{{Number: "+8613900139000", Kind: "mobile"}}, money.Yuan(9_000), []string{}
		want.UpdatedAt = got.UpdatedAt
		if d := diff(want, got); d != "" {
			t.Errorf("after UpdateBorrower (-want +got):\n%s", d)
		}
		if d := diff(got, updated); d != "" {
			t.Errorf("UpdateBorrower returned (-stored +returned):\n%s", d)
		}
		return nil
	})
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.UpdateBorrower(ctx, 999_999, sqlstore.BorrowerUpdate{Name: ptr("x")})
		return err
	})
	wantCode(t, err, errs.NotFound)
}

func testBorrowerList(t *testing.T, db *sqlstore.DB) {
	write(t, db, func(tx *sqlstore.Tx) error {
		for i := range 10 {
			b := newBorrower(i)
			if err := tx.CreateBorrower(ctx, &b); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		name      string
		f         sqlstore.BorrowerFilter
		wantTotal int
		wantExt   []string
	}{
		{"All", sqlstore.BorrowerFilter{Limit: 3}, 10, []string{"B-00000", "B-00001", "B-00002"}},
		{"Offset", sqlstore.BorrowerFilter{Limit: 3, Offset: 8}, 10, []string{"B-00008", "B-00009"}},
		{"NamePrefix", sqlstore.BorrowerFilter{NamePrefix: ptr("张")}, 3, []string{"B-00000", "B-00004", "B-00008"}},
		{"NamePrefixIgnoresASCIICase", sqlstore.BorrowerFilter{NamePrefix: ptr("zhao")}, 2, []string{"B-00003", "B-00007"}},
		{"NamePrefixEscapesWildcards", sqlstore.BorrowerFilter{NamePrefix: ptr("%")}, 0, nil},
		{"ExternalID", sqlstore.BorrowerFilter{ExternalID: ptr("B-00005")}, 1, []string{"B-00005"}},
		{"Phone", sqlstore.BorrowerFilter{Phone: ptr("+8613800000006")}, 1, []string{"B-00006"}},
		{"PhoneUnknown", sqlstore.BorrowerFilter{Phone: ptr("+8613800000099")}, 0, nil},
		{"NationalID", sqlstore.BorrowerFilter{NationalID: ptr(newBorrower(2).NationalID)}, 1, []string{"B-00002"}},
		{"PhoneTail", sqlstore.BorrowerFilter{PhoneTail: ptr("0006")}, 1, []string{"B-00006"}},
		{"PhoneTailUnknown", sqlstore.BorrowerFilter{PhoneTail: ptr("0099")}, 0, nil},
		{"PhoneTailCombined", sqlstore.BorrowerFilter{PhoneTail: ptr("0006"), NamePrefix: ptr("张")}, 0, nil},
		{"Combined", sqlstore.BorrowerFilter{NamePrefix: ptr("李"), Phone: ptr("+8613800000005")}, 1, []string{"B-00005"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read(t, db, func(tx *sqlstore.Tx) error {
				list, total, err := tx.Borrowers(ctx, tt.f)
				if err != nil {
					return err
				}
				var ext []string
				for _, b := range list {
					ext = append(ext, b.ExternalID)
				}
				if total != tt.wantTotal || strings.Join(ext, ",") != strings.Join(tt.wantExt, ",") {
					t.Errorf("Borrowers() = %v (total %d), want %v (total %d)", ext, total, tt.wantExt, tt.wantTotal)
				}
				return nil
			})
		})
	}
	t.Run("PhoneTailFollowsPhoneChanges", func(t *testing.T) {
		tails := func() string {
			var got []string
			read(t, db, func(tx *sqlstore.Tx) error {
				for _, tail := range []string{"0009", "5678", "4321"} {
					list, _, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{PhoneTail: ptr(tail)})
					if err != nil {
						return err
					}
					for _, b := range list {
						got = append(got, tail+"="+b.ExternalID)
					}
				}
				return nil
			})
			return strings.Join(got, ",")
		}
		if got := tails(); got != "0009=B-00009" {
			t.Fatalf("tails before = %s", got)
		}
		write(t, db, func(tx *sqlstore.Tx) error {
			b, err := tx.BorrowerByExternalID(ctx, "B-00009")
			if err != nil {
				return err
			}
			phones := []borrower.Phone{{Number: "+8613912345678", Kind: "mobile"}, {Number: "+8602087654321", Kind: "home"}}
			_, err = tx.UpdateBorrower(ctx, b.ID, sqlstore.BorrowerUpdate{Phones: &phones})
			return err
		})
		if got := tails(); got != "5678=B-00009,4321=B-00009" {
			t.Errorf("tails after the phones changed = %s", got)
		}
	})
	t.Run("Masked", func(t *testing.T) {
		read(t, db, func(tx *sqlstore.Tx) error {
			list, _, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{ExternalID: ptr("B-00001"), Masked: true})
			if err != nil {
				return err
			}
			if len(list) != 1 || list[0].NationalID != "110105********1001" || list[0].Phones[0].Number != "138****0001" {
				t.Errorf("masked borrower = %+v", list)
			}
			return nil
		})
	})
}

func testBorrowerUpsert(t *testing.T, db *sqlstore.DB) {
	b := newBorrower(3)
	upsert := func(b *borrower.Borrower) (changed bool) {
		t.Helper()
		write(t, db, func(tx *sqlstore.Tx) (err error) {
			changed, err = tx.UpsertBorrower(ctx, b)
			return err
		})
		return changed
	}
	if !upsert(&b) {
		t.Error("first upsert reported no change")
	}
	id := b.ID
	again := newBorrower(3)
	if upsert(&again) {
		t.Error("upserting the same borrower again reported a change")
	}
	if again.ID != id || !again.CreatedAt.Equal(b.CreatedAt) {
		t.Errorf("second upsert: ID %d, CreatedAt %v; want %d, %v", again.ID, again.CreatedAt, id, b.CreatedAt)
	}
	for name, change := range map[string]func(*borrower.Borrower){
		"Name":       func(b *borrower.Borrower) { b.Name = "李四光" },
		"NationalID": func(b *borrower.Borrower) { b.NationalID = "110105198001011234" },
		"PhoneKind":  func(b *borrower.Borrower) { b.Phones[0].Kind = "work" },
		"Address":    func(b *borrower.Borrower) { b.Addresses[0].Line = "海淀区" },
		"Flags":      func(b *borrower.Borrower) { b.Flags = []string{} },
	} {
		c := newBorrower(3)
		change(&c)
		if !upsert(&c) {
			t.Errorf("upsert with a new %s reported no change", name)
		}
		if upsert(&c) {
			t.Errorf("repeating the upsert with a new %s reported a change", name)
		}
		read(t, db, func(tx *sqlstore.Tx) error {
			got, err := tx.Borrower(ctx, id)
			if err != nil {
				return err
			}
			c.UpdatedAt = got.UpdatedAt
			if d := diff(c, got); d != "" {
				t.Errorf("after upserting a new %s (-want +got):\n%s", name, d)
			}
			return nil
		})
	}
}

// testBorrowerEncryptedAtRest reads the raw columns: no national id or phone
// digits in the clear, hashes that are not the plain SHA-256, masked copies.
func testBorrowerEncryptedAtRest(t *testing.T, db *sqlstore.DB) {
	b := newBorrower(42)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateBorrower(ctx, &b) })
	read(t, db, func(tx *sqlstore.Tx) error {
		var enc []byte
		var hash, masked string
		err := tx.Inspect(ctx, "SELECT national_id_enc, national_id_hash, national_id_masked FROM borrowers WHERE id = ?", b.ID).
			Scan(&enc, &hash, &masked)
		if err != nil {
			return err
		}
		assertCiphertext(t, enc, b.NationalID)
		if hash != Cipher(t).Hash(b.NationalID) || strings.Contains(hash, b.NationalID) {
			t.Errorf("national_id_hash = %q", hash)
		}
		if masked != "110105********1042" {
			t.Errorf("national_id_masked = %q", masked)
		}
		var phoneEnc []byte
		var phoneMasked string
		err = tx.Inspect(ctx, "SELECT number_enc, number_masked FROM borrower_phones WHERE borrower_id = ?", b.ID).
			Scan(&phoneEnc, &phoneMasked)
		if err != nil {
			return err
		}
		assertCiphertext(t, phoneEnc, b.Phones[0].Number)
		if phoneMasked != "138****0042" {
			t.Errorf("number_masked = %q", phoneMasked)
		}
		return nil
	})
}

// assertCiphertext fails unless enc decrypts to plain and shows no run of
// four or more of its digits.
func assertCiphertext(t *testing.T, enc []byte, plain string) {
	t.Helper()
	digits := strings.TrimPrefix(plain, "+")
	for i := 0; i+4 <= len(digits); i++ {
		if bytes.Contains(enc, []byte(digits[i:i+4])) {
			t.Errorf("stored bytes contain plaintext digits %q of %q", digits[i:i+4], plain)
			return
		}
	}
	got, err := Cipher(t).Decrypt(enc)
	if err != nil || got != plain {
		t.Errorf("stored value decrypts to %q, %v; want %q", got, err, plain)
	}
}

func testContacts(t *testing.T, db *sqlstore.DB) {
	b := newBorrower(1)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateBorrower(ctx, &b) })
	c1 := borrower.Contact{ExternalID: "C-1", BorrowerID: b.ID, Name: "张母", Relationship: "parent",
		Phone: "+8613700137000", ConsentBasis: "loan_application", ConsentAt: t0}
	c2 := borrower.Contact{BorrowerID: b.ID, Name: "同事王", Relationship: "colleague", Phone: "+8613600136000"}
	c3 := borrower.Contact{BorrowerID: b.ID, Name: "无号码", Relationship: "friend"}
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, c := range []*borrower.Contact{&c1, &c2, &c3} {
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		list, err := tx.ContactsByBorrower(ctx, b.ID)
		if err != nil {
			return err
		}
		if d := diff([]borrower.Contact{c1, c2, c3}, list); d != "" {
			t.Errorf("ContactsByBorrower (-want +got):\n%s", d)
		}
		byPhone, err := tx.ContactsByPhone(ctx, "+8613600136000")
		if err != nil || len(byPhone) != 1 || byPhone[0].ID != c2.ID {
			t.Errorf("ContactsByPhone = %+v, %v", byPhone, err)
		}
		got, err := tx.Contact(ctx, c1.ID)
		if err != nil || got.Phone != c1.Phone {
			t.Errorf("Contact = %+v, %v", got, err)
		}
		_, err = tx.Contact(ctx, 9999)
		wantCode(t, err, errs.NotFound)
		var enc []byte
		if err := tx.Inspect(ctx, "SELECT phone_enc FROM contacts WHERE id = ?", c1.ID).Scan(&enc); err != nil {
			return err
		}
		assertCiphertext(t, enc, c1.Phone)
		return nil
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		dup := c1
		return tx.CreateContact(ctx, &dup)
	})
	wantCode(t, err, errs.Conflict)
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		orphan := borrower.Contact{BorrowerID: 9999, Name: "x", Relationship: "friend"}
		return tx.CreateContact(ctx, &orphan)
	})
	wantCode(t, err, errs.Invalid)

	same := c1
	same.ID = 0
	write(t, db, func(tx *sqlstore.Tx) error {
		changed, err := tx.UpsertContact(ctx, &same)
		if changed || same.ID != c1.ID {
			t.Errorf("UpsertContact(same) = changed %v, id %d", changed, same.ID)
		}
		if err != nil {
			return err
		}
		same.Phone = "+8613700137001"
		if changed, err := tx.UpsertContact(ctx, &same); !changed || err != nil {
			t.Errorf("UpsertContact(new phone) = %v, %v", changed, err)
		}
		fresh := borrower.Contact{ExternalID: "C-2", BorrowerID: b.ID, Name: "新", Relationship: "sibling"}
		if changed, err := tx.UpsertContact(ctx, &fresh); !changed || err != nil || fresh.ID == 0 {
			t.Errorf("UpsertContact(new) = %v, %v, id %d", changed, err, fresh.ID)
		}
		_, err = tx.UpsertContact(ctx, &borrower.Contact{BorrowerID: b.ID})
		wantCode(t, err, errs.Invalid)
		return tx.DeleteContact(ctx, c3.ID)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Contact(ctx, c1.ID)
		if err != nil || got.Phone != "+8613700137001" {
			t.Errorf("after upsert Contact = %+v, %v", got, err)
		}
		list, err := tx.ContactsByBorrower(ctx, b.ID)
		if len(list) != 3 {
			t.Errorf("after delete %d contacts, want 3", len(list))
		}
		return err
	})
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.DeleteContact(ctx, c3.ID) })
	wantCode(t, err, errs.NotFound)
}
