package bot

import (
	"strings"
	"unicode"
)

// normalize returns the form of text the rules match: full-width forms
// (U+FF01–FF5E) become ASCII and the ideographic space a space; Chinese
// punctuation becomes its ASCII counterpart (，→, 。→. and so on);
// traditional characters the lexicon needs become simplified; Latin letters
// are lower-cased, curly apostrophes straightened, and runs of white space
// become one space.
func normalize(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	space := false
	for _, r := range text {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		if p, ok := punct[r]; ok {
			r = p
		}
		if s, ok := t2s[r]; ok {
			r = s
		}
		if unicode.IsSpace(r) {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		if r < 0x80 {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := strings.TrimRight(b.String(), " ")
	if strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") {
		s = enShort.Replace(" " + s + " ")
		s = s[1 : len(s)-1]
	}
	return s
}

// enShort spells out the short forms people type in English: im → i'm,
// dont → don't, u → you, "ill pay" → "i'll pay".
var enShort = func() *strings.Replacer {
	var pairs []string
	for _, p := range [][2]string{{"im", "i'm"}, {"ive", "i've"}, {"dont", "don't"}, {"cant", "can't"}, {"wont", "won't"},
		{"didnt", "didn't"}, {"havent", "haven't"}, {"hasnt", "hasn't"}, {"isnt", "isn't"}, {"doesnt", "doesn't"},
		{"u", "you"}, {"ur", "your"}, {"r", "are"}, {"pls", "please"}, {"plz", "please"}, {"ill pay", "i'll pay"},
		{"ill be", "i'll be"}, {"ill transfer", "i'll transfer"}, {"ill send", "i'll send"}, {"ill clear", "i'll clear"},
		{"ill settle", "i'll settle"}, {"ill try", "i'll try"}} {
		for _, sep := range []string{" ", ",", ".", "?", "!"} {
			pairs = append(pairs, " "+p[0]+sep, " "+p[1]+sep)
		}
	}
	return strings.NewReplacer(pairs...)
}()

var punct = map[rune]rune{
	'。': '.', '、': ',', '｡': '.', '～': '~', '〜': '~', '—': '-', '–': '-',
	'‘': '\'', '’': '\'', '“': '"', '”': '"', '「': '"', '」': '"', '『': '"', '』': '"',
	'《': '"', '》': '"', '【': '[', '】': ']', '…': '.', '·': ' ', '￥': '¥',
}

// t2s maps the traditional characters of the lexicon's terms (and common
// money, date and collection vocabulary) to simplified ones.
var t2s = func() map[rune]rune {
	const pairs = "還还錢钱貸贷費费務务額额賬账帳账單单應应訴诉債债們们來来個个" +
		"號号週周期期點点塊块萬万兩两億亿現现沒没過过給给說说話话電电聯联" +
		"繫系騷骚擾扰別别讓让請请轉转辦办專专員员經经理理會会這这麼么嗎吗" +
		"為为與与幫帮時时間间後后習习買买賣卖歲岁筆笔寬宽緩缓協协議议減减" +
		"計计劃划業业資资開开關关閉闭虧亏賠赔倒倒產产薪薪資资齊齐湊凑難难" +
		"無无歡欢處处實实話话認认證证騙骗詐诈盜盗冒冒錯错誤误異异麗丽親亲" +
		"爺爷媽妈爸爸兒儿夥伙孫孙婦妇喪丧醫医療疗院院術术癌癌絕绝崩崩潰溃" +
		"殺杀盡尽跳跳樓楼藥药腫肿瘤瘤確确診诊壓压力力撐撑辭辞裁裁響响鬥斗" +
		"結结清清欠欠據据紀纪錄录查查詢询餘余剩剩總总共共數数對对嗎吗付付" +
		"寶宝微微銀银帳账戶户碼码掃扫鏈链連连發发資资紙纸網网頁页選选擇择" +
		"週周禮礼拜拜星星底底年年元元旦旦節节慶庆曆历農农陽阳聖圣誕诞" +
		"投投舉举報报監监態态惡恶罵骂脅胁威威違违規规擊击騙骗嚇吓" +
		"人人工工機机器器客客服服經经真真轉转線线接接聽听撥拨回回覆复" +
		"幾几還还並并從从試试著着讀读鐘钟頭头該该須须麼么錶表準准備备" +
		"證证護护傷伤災灾車车禍祸離离婚婚夫夫妻妻孩孩學学費费養养老老" +
		"啥啥麼么樣样種种邊边邊边雖虽然然當当歸归屬属僅仅盡尽將将"
	m := map[rune]rune{}
	rs := []rune(pairs)
	for i := 0; i+1 < len(rs); i += 2 {
		if rs[i] != rs[i+1] {
			m[rs[i]] = rs[i+1]
		}
	}
	return m
}()
