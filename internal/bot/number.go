package bot

import (
	"github.com/govalues/decimal"
)

// cnDigit is the value of a Chinese digit (两 and 〇 included).
var cnDigit = map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// cnUnit is the value of a Chinese (or colloquial Latin) magnitude.
var cnUnit = map[rune]int64{'十': 10, '百': 100, '千': 1000, 'k': 1000, '万': 10000, 'w': 10000, '亿': 100000000}

// numeral reads a number written with ASCII digits, Chinese numerals or
// both, with magnitudes: "1500", "1,500", "1.5万", "2k", "两千", "三千五"
// (3500: a digit after the last magnitude counts in the next lower one, as
// people say it), "一万二" (12000), "一千零五十" (1050), "3千5" (3500).
// It reports false for what is not one number: "一两千" (a range), "千万" (a
// word), a magnitude with nothing before it except 十.
func numeral(rs []rune) (decimal.Decimal, bool) {
	var total, section, cur decimal.Decimal
	hasCur, zero, digitsRun := false, false, 0
	lastUnit := int64(0)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || rs[j] == '.' || rs[j] == ',') {
				j++
			}
			s := make([]byte, 0, j-i)
			for _, c := range rs[i:j] {
				if c != ',' {
					s = append(s, byte(c))
				}
			}
			d, err := decimal.Parse(string(s))
			if err != nil || hasCur {
				return decimal.Decimal{}, false
			}
			cur, hasCur = d, true
			digitsRun = j - i
			i = j - 1
		case isCnDigit(r):
			v := cnDigit[r]
			if v == 0 {
				zero = true
				continue
			}
			if hasCur {
				// Two digits in a row: "一两千" is a range, "二零二六" a year.
				return decimal.Decimal{}, false
			}
			cur, hasCur = decimal.MustNew(v, 0), true
			digitsRun++
		default:
			u, ok := cnUnit[r]
			if !ok {
				return decimal.Decimal{}, false
			}
			switch {
			case hasCur:
			case r == '十' && lastUnit == 0:
				cur, hasCur = decimal.One, true // 十五 = 15
			case u >= 10000 && lastUnit != 0 && lastUnit < u:
				// 十万, 三千万: the magnitude multiplies the section
			default:
				return decimal.Decimal{}, false
			}
			m := decimal.MustNew(u, 0)
			if u >= 10000 {
				section = add(section, cur, hasCur)
				total = add(total, mul(section, m), true)
				section = decimal.Decimal{}
			} else {
				section = add(section, mul(cur, m), true)
			}
			cur, hasCur, zero, lastUnit, digitsRun = decimal.Decimal{}, false, false, u, 0
		}
	}
	if hasCur && lastUnit >= 10 && !zero && digitsRun == 1 && cur.Scale() == 0 && cur.Cmp(decimal.Ten) < 0 {
		cur = mul(cur, decimal.MustNew(lastUnit/10, 0)) // 三千五 = 3000 + 5×100
	}
	v := add(add(total, section, true), cur, hasCur)
	return v, v.IsPos()
}

func isCnDigit(r rune) bool { _, ok := cnDigit[r]; return ok }

func add(a, b decimal.Decimal, ok bool) decimal.Decimal {
	if !ok {
		return a
	}
	s, err := a.Add(b)
	if err != nil {
		return a
	}
	return s
}

func mul(a, b decimal.Decimal) decimal.Decimal {
	p, err := a.Mul(b)
	if err != nil {
		return a
	}
	return p
}
