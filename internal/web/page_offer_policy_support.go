package web

import (
	"net/http"
	"strconv"
	"strings"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/negotiation"
)

// registerSupportProgrammePages registers the support programme's
// messages page: the texts (zh/en) and their days after enrolment, and
// what the nightly step recorded lately.
func (s *Server) registerSupportProgrammePages() {
	s.handle("GET", "/support-programme", auth.PermStrategyEdit, s.handleSupportProgrammeShow)
	s.handle("POST", "/support-programme", auth.PermStrategyEdit, s.handleSupportProgrammeSave)
}

// supportPage is what /support-programme shows: the messages in force
// plus empty rows to add, and a refusal with its fields.
type supportPage struct {
	View     negotiation.SupportProgrammeView
	Rows     []negotiation.SupportMessageTemplate
	Message  string
	Problems []errs.FieldError
	Saved    bool
	T        map[string]string
}

// supportBlankRows is how many empty rows the form offers for new messages.
const supportBlankRows = 3

func (s *Server) supportPage(r *http.Request) (supportPage, error) {
	v, err := s.neg.SupportProgrammeInForce(r.Context(), actorOf(r))
	if err != nil {
		return supportPage{}, err
	}
	return supportPage{View: v, Rows: append(v.Program.Messages, make([]negotiation.SupportMessageTemplate, supportBlankRows)...),
		Saved: r.URL.Query().Get("saved") == "support", T: supportLabels(langOf(r))}, nil
}

// handleSupportProgrammeShow handles "GET /support-programme".
func (s *Server) handleSupportProgrammeShow(w http.ResponseWriter, r *http.Request) {
	d, err := s.supportPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "support_programme.html", d)
}

// handleSupportProgrammeSave handles "POST /support-programme": rows of
// day, zh and en; a row with all three empty is left out. A refused
// programme shows the form again with the fields at fault.
func (s *Server) handleSupportProgrammeSave(w http.ResponseWriter, r *http.Request) {
	days, zh, en := r.PostForm["day"], r.PostForm["zh"], r.PostForm["en"]
	var p negotiation.SupportProgramme
	var bad []errs.FieldError
	for i := range days {
		var z, e string
		if i < len(zh) {
			z = zh[i]
		}
		if i < len(en) {
			e = en[i]
		}
		if strings.TrimSpace(days[i]) == "" && strings.TrimSpace(z) == "" && strings.TrimSpace(e) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(days[i]))
		if err != nil {
			bad = append(bad, errs.FieldError{Field: "messages[" + strconv.Itoa(len(p.Messages)) + "].day", Message: "is not a whole number"})
		}
		p.Messages = append(p.Messages, negotiation.SupportMessageTemplate{Day: n, ZH: z, EN: e})
	}
	var err error
	if len(bad) > 0 {
		err = errs.Fields("The support programme is not valid.", bad...)
	} else {
		_, err = s.neg.SaveSupportProgramme(r.Context(), actorOf(r), p)
	}
	if errs.CodeOf(err) == errs.Invalid {
		d, perr := s.supportPage(r)
		if perr != nil {
			s.error(w, r, perr)
			return
		}
		d.Rows = append(p.Messages, make([]negotiation.SupportMessageTemplate, supportBlankRows)...)
		d.Message, d.Problems, d.Saved = errs.MessageOf(err), errs.FieldsOf(err), false
		s.render(w, r, http.StatusUnprocessableEntity, "support_programme.html", d)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/support-programme?saved=support", http.StatusSeeOther)
}

// supportMessages are the support programme page's texts, over the offer
// policy pages' ones.
var supportMessages = map[string][2]string{
	"support_title":  {"帮扶计划宣导消息", "Support programme messages"},
	"support_hint":   {"加入帮扶计划的借款人在入组后的指定天数收到以下短信（按借款人语言发送中文或英文）。每条消息都经过联系合规检查：静默时段顺延，频次超限或要求停止联系的不发送。", "Borrowers enrolled in the support programme receive these texts the given number of days after enrolment (Chinese or English by the borrower's language). Each goes through the contact governor: quiet hours hold it, frequency limits and stop-contact requests block it."},
	"support_day":    {"入组后第几天", "Day after enrolment"},
	"support_zh":     {"中文内容", "Chinese text"},
	"support_en":     {"英文内容", "English text"},
	"support_save":   {"保存（新版本）", "Save (new version)"},
	"support_empty":  {"留空的行不保存。", "Empty rows are not saved."},
	"support_ver":    {"当前版本", "Version in force"},
	"support_none":   {"尚未配置，不发送任何消息。", "Not configured yet: nothing is sent."},
	"support_recent": {"最近发送记录", "Recently"},
	"support_norec":  {"暂无记录。", "Nothing yet."},
	"as_of":          {"业务日期", "Date"},
	"case":           {"案件", "Case"},
	"enrolled_on":    {"入组日期", "Enrolled"},
	"msg_status":     {"结果", "Outcome"},

	"msgstatus.queued":    {"已排队", "Queued"},
	"msgstatus.held":      {"顺延发送", "Held until allowed"},
	"msgstatus.blocked":   {"被合规拦截", "Blocked by the governor"},
	"msgstatus.skipped":   {"已跳过（同晚有更新的消息）", "Skipped (a later one was due)"},
	"msgstatus.no_mobile": {"无手机号", "No mobile number"},
}

func supportLabels(lang string) map[string]string {
	out := policyLabels(lang)
	for k, v := range supportMessages {
		out[k] = v[0]
		if lang == "en" && v[1] != "" {
			out[k] = v[1]
		}
	}
	return out
}
