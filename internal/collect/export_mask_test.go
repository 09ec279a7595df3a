package collect

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"accord/internal/sqlstore"
)

// TestExportContacts_MasksFreeText: the regulator export masks numbers in
// notes, content and reasons, also in rows stored before notes were masked
// on the way in.
func TestExportContacts_MasksFreeText(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		ctPopulate(t, e)
		e.write(t, func(tx *sqlstore.Tx) error {
			var n int64
			return tx.Inspect(ctBG, "UPDATE contact_attempts SET notes = ? WHERE id = (SELECT MIN(id) FROM contact_attempts) RETURNING id",
				"旧记录：备用号码13912345678，身份证11010519491231002X").Scan(&n)
		})
		var buf bytes.Buffer
		from, to := ctMorning.Add(-time.Hour), ctMorning.Add(time.Hour)
		if err := e.svc.ExportContacts(ctBG, ctAuditor, from, to, "csv", &buf); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Contains(out, "13912345678") || strings.Contains(out, "11010519491231002X") ||
			!strings.Contains(out, "139****5678") || !strings.Contains(out, "110105********002X") {
			t.Errorf("export does not mask the free text:\n%s", out)
		}
	})
}
