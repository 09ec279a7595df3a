package demo

// surnames are the commonest Chinese surnames with their approximate share
// of the population in units of 0.01% (王 7.1% … ), after the 2020 census
// ranking, plus a few compound surnames.
var surnames = []struct {
	Name   string
	Weight int
}{
	{"王", 710}, {"李", 700}, {"张", 640}, {"刘", 540}, {"陈", 460}, {"杨", 310},
	{"黄", 250}, {"赵", 230}, {"吴", 200}, {"周", 190}, {"徐", 150}, {"孙", 150},
	{"马", 130}, {"朱", 130}, {"胡", 120}, {"郭", 110}, {"何", 110}, {"林", 100},
	{"高", 100}, {"罗", 90}, {"郑", 80}, {"梁", 80}, {"谢", 70}, {"宋", 60},
	{"唐", 60}, {"许", 60}, {"韩", 60}, {"冯", 60}, {"邓", 60}, {"曹", 50},
	{"彭", 50}, {"曾", 50}, {"肖", 50}, {"田", 50}, {"董", 50}, {"袁", 40},
	{"潘", 40}, {"于", 40}, {"蒋", 40}, {"蔡", 40}, {"余", 40}, {"杜", 40},
	{"叶", 40}, {"程", 40}, {"苏", 30}, {"魏", 30}, {"吕", 30}, {"丁", 30},
	{"任", 30}, {"沈", 30}, {"姚", 30}, {"卢", 30}, {"姜", 30}, {"崔", 30},
	{"钟", 30}, {"谭", 30}, {"陆", 30}, {"汪", 30}, {"范", 30}, {"金", 30},
	{"石", 30}, {"廖", 30}, {"贾", 30}, {"夏", 20}, {"韦", 20}, {"付", 20},
	{"方", 20}, {"白", 20}, {"邹", 20}, {"孟", 20}, {"熊", 20}, {"秦", 20},
	{"邱", 20}, {"江", 20}, {"尹", 20}, {"薛", 20}, {"闫", 20}, {"段", 20},
	{"雷", 20}, {"侯", 20}, {"龙", 20}, {"史", 20}, {"陶", 20}, {"黎", 20},
	{"贺", 20}, {"顾", 20}, {"毛", 20}, {"郝", 20}, {"龚", 20}, {"邵", 20},
	{"万", 20}, {"钱", 20}, {"严", 20}, {"武", 20}, {"戴", 20}, {"覃", 10},
	{"莫", 10}, {"孔", 10}, {"向", 10}, {"汤", 10}, {"欧阳", 3}, {"司马", 1},
	{"上官", 1}, {"诸葛", 1},
}

var surnameIndex = newWeighted(len(surnames), func(i int) int { return surnames[i].Weight })

// Characters of given names, by sex: names of one character come from the
// solo lists, two-character names join a first and a second character. The
// lists of whole names add the generation names of people born in the
// 1950s–1970s.
var (
	maleSolo     = []rune("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋峰")
	maleFirst    = []rune("志建国子俊浩宇家嘉天明文一博晨泽睿思永世春新成海东振立安德")
	maleSecond   = []rune("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆轩然昊豪诚亮成峰林龙洋远航阳辰铭")
	femaleSolo   = []rune("芳娜敏静丽艳娟霞燕玲婷雪慧琳颖倩洁晶欣怡佳悦丹红梅莉萍月彤菲")
	femaleFirst  = []rune("晓思雨佳欣梦诗雅婉静美丽秀慧紫子一可若心春玉海文淑")
	femaleSecond = []rune("芳娜敏静丽艳娟霞燕玲婷雪慧琳颖倩洁晶欣怡悦萱琪丹红梅莉兰萍雅瑶妍楠月彤菲涵宁")
	elderMale    = []string{"建国", "建华", "国强", "志强", "建军", "国华", "卫东", "红军", "德明", "永福"}
	elderFemale  = []string{"秀英", "桂英", "玉兰", "秀兰", "凤英", "淑珍", "桂兰", "玉珍", "秀珍", "丽华"}
)

// surname returns a surname drawn by frequency.
func (r rng) surname() string { return surnames[surnameIndex.pick(r)].Name }

// givenName returns a one- or two-character given name; elder names lean on
// the generation names common before the 1980s.
func (r rng) givenName(male, elder bool) string {
	if elder && r.chance(0.35) {
		if male {
			return elderMale[r.IntN(len(elderMale))]
		}
		return elderFemale[r.IntN(len(elderFemale))]
	}
	solo, first, second := femaleSolo, femaleFirst, femaleSecond
	if male {
		solo, first, second = maleSolo, maleFirst, maleSecond
	}
	if r.chance(0.3) {
		return string(solo[r.IntN(len(solo))])
	}
	c1, c2 := first[r.IntN(len(first))], second[r.IntN(len(second))]
	for c2 == c1 {
		c2 = second[r.IntN(len(second))]
	}
	return string([]rune{c1, c2})
}
