package demo

import (
	"fmt"

	"accord/internal/borrower"
)

var (
	roads     = []string{"人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "胜利路", "文化路", "朝阳路", "青年路", "光明路", "东风路", "滨江大道", "科技路", "学府路", "工业大道", "发展大道", "迎宾路", "南京路"}
	compounds = []string{"阳光花园", "翠苑小区", "金色家园", "锦绣华庭", "碧桂园", "万科城", "幸福里", "绿地新都会", "怡景苑", "枫林小区", "保利花园", "东方明珠苑", "龙湖春江郦城", "世纪新城", "和谐家园"}
	towers    = []string{"国际大厦", "财富中心", "科技园", "金融广场", "创业大厦", "商务中心", "万达广场", "软件园", "时代广场", "环球中心"}
	brands    = []string{"华兴", "恒通", "鑫源", "博远", "东方", "联创", "天润", "盛达", "宏图", "金鹏", "瑞丰", "嘉和", "永信", "星辰", "中泰", "腾跃", "汇丰源", "德胜", "安捷", "新航"}
	trades    = []string{"科技", "电子", "贸易", "物流", "餐饮管理", "建筑工程", "服饰", "商贸", "信息技术", "医药", "家居", "汽车服务", "物业管理", "教育咨询", "食品", "机械制造"}
	publics   = []string{"第一人民医院", "实验中学", "公交集团", "自来水公司", "第二人民医院", "供电局"}
)

const (
	selfEmployed = "个体经营"
	freelance    = "自由职业"
)

// home returns a home address in c, within a few kilometres of its centre.
func (r rng) home(c city) borrower.Address {
	line := fmt.Sprintf("%s%d号%s%d栋%d单元%d%02d室", roads[r.IntN(len(roads))], r.between(1, 999),
		compounds[r.IntN(len(compounds))], r.between(1, 30), r.between(1, 4), r.between(1, 33), r.between(1, 8))
	return r.address("home", line, c, 0.06)
}

// work returns a work address in c, closer to its centre.
func (r rng) work(c city) borrower.Address {
	line := fmt.Sprintf("%s%d号%s%d层", roads[r.IntN(len(roads))], r.between(1, 500), towers[r.IntN(len(towers))], r.between(2, 40))
	return r.address("work", line, c, 0.03)
}

// address jitters c's centre by a normal spread of sigma degrees (0.01° is
// about a kilometre), rounding to six places as a geocoder would.
func (r rng) address(kind, line string, c city, sigma float64) borrower.Address {
	return borrower.Address{
		Kind:   kind,
		Line:   line,
		City:   c.Name + "市",
		Region: c.Region,
		Lat:    round6(c.Lat + sigma*r.NormFloat64()),
		Lon:    round6(c.Lon + sigma*r.NormFloat64()),
	}
}

func round6(x float64) float64 {
	if x < 0 {
		return float64(int64(x*1e6-0.5)) / 1e6
	}
	return float64(int64(x*1e6+0.5)) / 1e6
}

// employer returns a plausible employer in c: mostly a private company,
// some public institutions, the self-employed and freelancers.
func (r rng) employer(c city) string {
	switch x := r.Float64(); {
	case x < 0.08:
		return selfEmployed
	case x < 0.13:
		return freelance
	case x < 0.20:
		return c.Name + "市" + publics[r.IntN(len(publics))]
	}
	return c.Name + brands[r.IntN(len(brands))] + trades[r.IntN(len(trades))] + "有限公司"
}
