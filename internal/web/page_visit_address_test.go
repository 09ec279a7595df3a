package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"accord/internal/borrower"
	"accord/internal/fieldwork"
	"accord/internal/visit"
)

// TestBorrowerPage_AddressChanges: after a visit finds the borrower moved,
// the borrower page shows the new address, and the address change with the
// old one and the visit it came from.
func TestBorrowerPage_AddressChanges(t *testing.T) {
	t.Parallel()
	d := newVisitDay(t)
	ctx := context.Background()
	v := d.v
	if _, err := d.fw.CheckIn(ctx, d.as("fa1"), v.ID, fieldwork.CheckInRequest{Lat: v.Lat, Lon: v.Lon, Partner: "fa2", RecordingDevice: "REC-7"}); err != nil {
		t.Fatal(err)
	}
	moved := borrower.Address{Line: "世纪大道100号2栋301室", City: "上海市", Region: "上海市", Lat: 31.2304, Lon: 121.5332}
	if _, err := d.fw.RecordOutcome(ctx, d.as("fa1"), v.ID, fieldwork.NewOutcome{Kind: visit.Moved, Note: "邻居说已搬走",
		NewAddress: &moved}); err != nil {
		t.Fatal(err)
	}
	rec := d.do(t, "supervisor", "GET", fmt.Sprintf("/borrowers/%d", v.BorrowerID), nil)
	wantStatus(t, rec, http.StatusOK, "the borrower page")
	wantBody(t, rec, "the borrower page", `id="address-changes"`, "地址变更记录", "上海市 上海市 世纪大道100号2栋301室", "原地址",
		v.AddressLine, fmt.Sprintf("来自外访 #%d", v.ID))
}
