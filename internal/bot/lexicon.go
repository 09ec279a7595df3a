package bot

// The lexicon: cue phrases per intent over the normalised text (simplified
// characters, lower case, ASCII punctuation). The first argument of cue
// holds phrases a negation can cancel, the second phrases that carry their
// own negation. Keep each list in the order of the intents.
var intentCues = map[Intent]cues{
	AlreadyPaid: cue(
		`已经(还|付|转|打|交|缴|结清|处理|扣|存)|已(还|付|转|缴|结清|扣|存)|(还|付|转|打|交|缴|存)(过|好|完)了|还了|付了|转了|交了|缴了|存了|`+
			`打过去|转过去|(刚|刚刚)(还|付|转|交|缴|打|存)|(昨天|前天|昨晚|上周|上礼拜|上个月|早上|上午|中午|下午)(就|已经)?(还|付|转|交|缴|存)(了|过|完|清|的)|`+
			`还清了|结清了|扣(款|钱)(了|成功)|被扣了|(钱|款)(已经|都)?扣了|到账了|(钱|款)(已经|早就|早)?(打|转|还)(过去|给你们)?了|(付款|还款|转账|支付)(成功|完成|已完成)|都还完了|还完了|\bpayment (is )?(done|complete|completed|made|sent)\b|`+
			`\bal+re?a?dy (paid|transferred|sent|settled|made|cleared|repaid|done|did)|\bi('ve| have)? paid\b|\bi (sent|transferred|wired|deposited|repaid|settled|cleared|made the payment)\b|`+
			`\bpaid (it|off|in full|yesterday|today|last|this|on|the|already|you)\b|\bmade (the|a|my) payment|payment (went through|was made|has been made|is done|was successful)|`+
			`\b(was|been|got) (deducted|debited)|money (was|has been) (sent|transferred)|\bdid pay\b|\bhave been paid\b|\bpaid \d|\bpaid¥`, ""),
	Dispute: cue(
		`异议|算错|多扣|多收|乱收|盗用|冒用|冒名|重复扣|扣(了)?两次|\bdisput|incorrect|overcharg|charged (me )?twice|double charged|fraudulent`,
		`不是我(借|贷|欠|的|本人|办|签)|别人(用|拿|冒用)我的?(身份证|信息|名字)|用我(的)?身份证(办|借|贷)|我(从来)?没(有)?(借|贷|欠|申请|办|签)|没(有)?借过|从来没|从没(借|贷|申请)|没在你们(这|那)?(借|贷)|没用过你们|`+
			`不认识(这个|什么|你们)?(平台|公司|贷款|app)|被人(借|贷|用|盗)|身份(证)?(被|信息被)|信息(被)?泄露|`+
			`(金额|数目|钱数|账|数字|数|利息|费用|余额|欠款)(不对|有问题|错了|不正确|不符)|不认(这笔|这个|账|可)|不承认|(根本|压根|从来)(就)?没(有)?(借|贷|申请|办|签)|打错(了|人|电话)|找错人|认错人|不是本人|`+
			`\bnot my (loan|debt|account|money)|\bisn'?t my (loan|debt)|\bnever (borrowed|took|applied|signed)|\bdidn'?t (borrow|take out|apply|sign up)|\bdid not (borrow|take|apply)|`+
			`\bdon'?t owe|\bdo not owe|\bwrong (amount|person|number|balance|guy)|(amount|balance|figure|number|total)[^.,!?]{0,25} (is|are) (wrong|incorrect|not right)|identity (theft|was stolen)|`+
			`stolen identity|someone (used|stole|took out|else)|\bnot me\b|\bi don'?t recogni[sz]e|never heard of (this|you)`),
	Complaint: cue(
		`投诉|举报|骚扰|威胁|恐吓|骂(人|我)|辱骂|侮辱|态度(很|太|非常|真|也太)?(差|恶劣|不好|凶|嚣张)|暴力催收|爆(我的?)?通讯录|`+
			`(打|发)(电话|短信|信息)?(给|到)(了)?我(的)?(家人|家里|父母|爸|妈|同事|领导|老板|朋友|单位|公司|亲戚|老婆|老公)|`+
			`(告诉|通知)(了)?我(的)?(家人|父母|同事|领导|朋友|老板|单位)|给我(的)?(家人|家里|父母|爸|妈|同事|领导|老板|朋友|单位|公司|亲戚)(打|发)|银保监|金融监管|监管部门|12378|报警|起诉你们|曝光|违法|不合法|侵犯(我的)?隐私|泄露(我的)?隐私|太过分|`+
			`一天打(了)?(几十|好几|十几|\d+)(个|次|通)|\bcomplain|\breport (you|this|to)|harass|threat|\brude\b|abusive|\babuse|insult|yell|shout|swore|swearing|`+
			`called my (boss|employer|work|mother|mom|mum|father|dad|parents|family|wife|husband|friends|colleagues|neighbou?rs|sister|brother)|`+
			`(told|contacted) my (boss|employer|family|parents|colleagues|friends|wife|husband)|regulator|cbirc|nfra|\bpolice\b|unacceptable|illegal|privacy`, ""),
	StopContact: cue("",
		`(别|不要|不许|不准|请勿|勿|禁止|停止)(再)?(给我)?(打|联系|催|发|烦|骚扰|打扰|来电|找我|call)|停止(联系|催收|拨打|发送)|`+
			`拉黑|退订|^td$|\btd\b|(以后|从今以后)(别|不要)|再打(我)?(电话)?(就|我就)|`+
			`\bstop (calling|contacting|texting|messaging|harassing|bothering|ringing|sending|the calls|it)|\bdon'?t (call|contact|text|message|ring|phone)|\bdo not (call|contact|text|message|phone)|`+
			`\bnever (call|contact) me|\bif you (call|contact|text|ring|message) (me )?again|no more (calls|texts|messages)|leave me alone|unsubscribe|cease (all )?(contact|communication)|remove my (number|details)|quit calling|\bstop sms`),
	RequestHuman: cue(
		`人工|真人|(找|要|叫|换|转)(你们)?(的)?(经理|主管|负责人|领导|专员|工作人员|人工|真人|客服|人)|找(个)?人(跟|和|陪)?我|跟(真)?人(说|谈|聊)|回(个)?电(话)?|打(个)?电话给我|给我打(个)?电话|通(个)?电话|机器人|`+
			`\b(someone|somebody|a person|an agent|staff|your team)\b[^.?!]{0,25}\b(call|ring|phone|contact) me|human being|`+
			`\bhuman\b|real person|\ba person\b|\bagent\b|operator|representative|customer service|\b(speak|talk) (to|with) (someone|somebody|a|an|your)|\bmanager\b|supervisor|`+
			`call me back|give me a call|phone me|ring me|\bbot\b|robot`, ""),
	RequestPlan: cue(
		`分期|分成?(\d+|[一二两三四五六七八九十几]+)(期|个月|次|批)|(只|先)还利息|冻结利息|延期|展期|缓(一|几|两)?(下|天|段时间|个月|几天|缓)|宽限|晚(几|两|一)?(天|点|些|一点|一些)(再)?还|推迟|往后(推|延|拖)|少还|减免|`+
			`免(掉|除)?(利息|罚息|滞纳金|违约金|一部分|点)|免了|免掉|等我(几|两|一)?(天|段时间)|停息|挂账|协商|还款计划|方案|每(个)?月(只能|就|能|可以|还|先)?(还|付)?(\d|[一二两三四五六七八九])|月供|`+
			`减少(月供|每月|还款)|降低|打折|优惠|折扣|个性化|再给(我)?(一点|点|些|几天)?时间|多给(我)?(一点|点|些)?时间|给我(一些|点|一点|些|几天)?时间|`+
			`(能不能|可不可以|能否|可否)(晚|缓|推|延|少|减|慢慢|分)|慢慢还|分开还|分批|分(几|两|三)次|一点一点还|\binstal+ments?|payment plan|repayment plan|\bplan\b|\bsplit|extension|\bextend|more time|`+
			`\bdefer|\bpause|postpone|\bdelay (the|my|it|payment|paying)|reduce|reduction|lower (the |my )?(payment|amount|instal|interest)|smaller (payment|amount)|waive|waiver|settle for|settlement|discount|`+
			`\d+k? ?(yuan |rmb )?(a|per|each|every) month|\bper month|monthly (payment|instal)|each month|every month|\bspread|restructur|grace period|\bfreeze|(smaller|lower|reduced) monthly|work out (a|an|some) (plan|arrangement|deal)|arrangement|little by little|bit by bit|partial payments|in parts`, ""),
	PromiseToPay: cue(
		`会还|一定(会)?(还|处理|结清)|保证(会)?还|肯定(会)?还|承诺|尽快(还|处理|转)|马上(就)?(还|转|付|处理)|(这就|立刻|现在就)(还|转|付)|`+
			`\bi('ll| will| shall| am going to|'m going to| can| could)( definitely| surely| certainly)? (pay|repay|transfer|send|settle|clear|make (a|the) payment|sort (it|this) out)|`+
			`payment will be (made|sent)|expect (the )?(full )?(payment|amount|money)|\bwill (pay|transfer|send|settle)|`+
			`\bgonna (pay|transfer)|\bi promise|\bpromise to pay|\bgoing to pay|\bwill be paid|\bpay (you )?(it )?(back )?(on|before|tomorrow|today|tonight|next|this|at the end)\b|`+
			`就(去)?还([,.!?~ 吧的了哈啊]|$)|先还|(一半|全部|剩下|剩余|余下|所有)[^,.!?]{0,8}(还|付|转|结清)([^不没]|$)|(还|付|转)(一半|全部|剩下|剩余|余下|所有)|`+
			`\b(pay|clear|settle|transfer)\b[^,.!?]{0,20}\b(the rest|half|all of it|remaining)\b`, ""),
	Hardship: cue(
		`失业|被裁|裁员|下岗|辞退|开除|丢了工作|离职|生病|病了|住院|手术|癌|化疗|受伤|车祸|生意|亏(损|本|了|钱)|赔(了|钱|本)|倒闭|破产|关门|降薪|减薪|`+
			`工资(降|减|少|拖欠|发不出|没发|被扣|停)|(收入|工资)(减少|下降|少了|不稳定|变少|降低|断了)|拖欠工资|离婚|家里(出事|有事)|去世|过世|怀孕|生孩子|`+
			`压力(很|太|特别)?大|负债|以贷养贷|欠(了)?(很多|好多|一屁股)|困难|难处|\blost my job|laid off|unemployed|\bfired\b|redundan|\bsick\b|\bill\b|illness|hospital|surgery|`+
			`cancer|chemo|injur|accident|business (failed|closed|collapsed|went under|is (struggling|failing|down|slow))|bankrupt|pay cut|salary (cut|reduced|delayed|late)|hours (cut|reduced)|`+
			`cut my hours|cut my (salary|pay|wages)|income (dropped|fell|went down|has dropped|is down)|earning less|divorce|passed away|\bdied\b|funeral|pregnan|medical bills|\bstruggling|hard times|tough time|difficult time|`+
			`salary (has been |was |is |got )?(cut|reduced|delayed|late|not paid)|hours (were |have been |got )?(cut|reduced)|don'?t have (the |any |enough )?money|`+
			`financial (difficult|trouble|hardship|problem)|hardship|\btight\b|short of (money|cash)|behind on everything|can'?t keep up|no income|out of work|no job`,
		`还不(起|上|了|出)|没(有)?钱|没(有)?收入|没(有|了)?工作|工作没了|找不到工作|揭不开锅|周转不(开|过来|灵)|拿不出|凑不(齐|出|到|够)|付不(起|出)|交不(起|上)|实在没办法|没办法还|`+
			`撑不住|入不敷出|手头(很|太|比较|有点|有些)?紧|资金紧张|没能力|\bcan'?t afford|\bcannot afford|\b(can'?t|cannot|can not) pay( (now|right now|it|this|anything|at the moment|my|the (loan|debt|bill))\b|[,.!?]|$)|unable to pay|not able to pay|\bno money|\bbroke\b|can'?t make (the |my )?payments?`),
	AskBalance: cue(
		`(欠|要还|应还|该还|需要还|得还|还差)(你们)?(多少|几)|(是不是|是否)还欠|(利息|罚息|滞纳金|本金)(是|有|一共)?多少|\bhw much|`+
			`how much (do|should|must|would) i (still )?(have to |need to )?pay|多少钱|余额|剩(下|余)?(多少|几)|还剩|待还|欠款(是)?多少|账单|明细|(查|看)(一下)?(我的)?(欠款|账|余额|账单|还款)|`+
			`逾期(多少|金额|了多少)|利息(多少|怎么算)|罚息(多少|怎么算)|滞纳金|(一共|总共|总计)(多少|欠|要还)|这期(要还)?多少|最低(还|还款)?多少|多少(利息|罚息)|`+
			`how much (do i|i|did i) owe|how much is (owed|outstanding|left|due|the (balance|payment|instal|total))|how much (is|do i have) left|what do i owe|what'?s my balance|`+
			`(my|the|current|outstanding|remaining) balance|outstanding|amount due|total (owed|due|amount)|statement|how much (in )?(interest|penalty|fees)|how much is (overdue|past due)|what'?s the total|the total (i|to)\b|close the loan|pay ?off amount|break ?down|how much (should|do|must) i pay|how much to pay|how much left`, ""),
	AskHowToPay: cue(
		`怎么(还|付|转|交|缴|支付|还款|操作)|如何(还|付|支付|还款|转)|在哪(里|儿)?(还|付|交|支付|还款)|哪里(还|付|交|能还|可以还)|还款(方式|渠道|账号|账户|入口|链接|途径|方法)|(什么|哪种|哪些|哪个)(方式|渠道|方法|途径)(还|付|支付|转)|`+
			`支付宝|微信|云闪付|对公账户|扣款卡|还款卡|换卡|绑卡|改卡|(收款|还款)(账号|卡号|账户)|(账号|卡号|账户)(是|发)|自动扣|扣款(失败|不成功|没成功)|还不进去|付不进去|转不过去|`+
			`(app|软件|小程序)(上|里)?(怎么|找不到|打不开|登不上|进不去)|二维码|链接|打不开|登不上|登录不了|`+
			`\bhow (do|can|should) i (pay|repay|make a payment|transfer)|\bhow to (pay|repay)|where (do|can) i pay|payment (method|option|channel|link)|bank (account|details)|`+
			`account (number|details)|alipay|wechat|union ?pay|\bpay (by|with|via|through|online|using)|the app|autopay|auto-?debit|direct debit|`+
			`payment (failed|didn'?t go through|was declined|declined|won'?t go through)|declined|can'?t log ?in|\blink\b|can'?t pay (through|with|on|in|via|using)`, ""),
}

// payVerb is a word for paying with something after it that makes it a
// payment (还 alone is also "still"): with a future date or an amount it
// makes a promise.
var payVerb = newLex(`转$|转[,.!?~ 吧了啊哈]|给你们(转|还|打)|还(款|钱|上|清|给|你|您|掉|\d|[一二两三四五六七八九十]|一部分|一点|一半|全部|剩下|部分|进去)|还$|还[,.!?~ 吧的哈啊呢]|付|转(账|钱|过去|给)|打(款|钱|过去|给你)|交(钱|上)|缴|凑(钱|齐|够)|结清|处理|搞定|` +
	`\b(pay|repay|transfer|send|settle|clear|wire|deposit)\b`)

// refusal is a refusal to pay; it cancels a promise (我不会还的). A
// negated refusal (我没说不还, 不是不还, "I'm not refusing") is none.
var refusal = newLex(`不(会|想|打算)?还(了|的|钱)?([,.!?~ 吧]|$)|不会还|不想还|拒绝还|凭什么(要)?还|就是不还|\bwon'?t (pay|be paying)|\bwill not pay|\bnot (going to|gonna) pay|\brefuse to pay|\bnot paying`)

var refusalNegated = newLex(`(没说|没有说|不是|并不是|并非|谁说)(我)?(要)?不|\bnot refusing|\bnever said i (won'?t|would not|wouldn'?t)|\bnot saying i won'?t|\bi'?m not refusing`)

// Reason is the cause of a hardship the borrower gives.
type Reason string

// The reasons.
const (
	JobLoss         Reason = "job_loss"
	Illness         Reason = "illness"
	BusinessFailure Reason = "business_failure"
	Family          Reason = "family"
	IncomeDrop      Reason = "income_drop"
	OtherReason     Reason = "other"
)

// Reasons lists every reason.
var Reasons = []Reason{JobLoss, Illness, BusinessFailure, Family, IncomeDrop, OtherReason}

var reasonCues = []struct {
	reason Reason
	c      cues
}{
	{JobLoss, cue(`失业|被裁|裁员|下岗|辞退|开除|被炒|丢了工作|工作丢了|工作没了|没(了)?工作|找不到工作|公司(倒闭|破产|关门|黄了|裁员)|离职|`+
		`\blost my job|laid off|unemployed|\bfired\b|redundan|out of work|no job|company (closed|went bust|shut down)|lost (my )?work`, "")},
	{Family, cue(`(妈|爸|父亲|母亲|父母|老婆|老公|妻子|丈夫|爱人|孩子|儿子|女儿|家人|家里人|老人|奶奶|爷爷|外婆|姥姥|外公|姥爷|婆婆|公公|岳父|岳母)[^,.!?]{0,6}(病|住院|手术|癌|去世|过世|走了|没了|离世|车祸|受伤|出事|icu|重症|抢救|中风|瘫)|`+
		`离婚|家里(出事|有事|有人)|一个人带孩子|单亲|(老公|老婆)跑了|丧事|办后事|怀孕|生孩子|坐月子|孩子(上学|学费|要用钱)|学费|`+
		`\b(mother|mom|mum|father|dad|wife|husband|son|daughter|child|kid|parent|family|grandm|grandf|baby|brother|sister)[a-z']*\b[^,.!?]{0,30}(sick|ill\b|hospital|surgery|cancer|chemo|stroke|heart attack|died|passed|accident|injur|icu|intensive care|dementia)|`+
		`divorce|family emergency|funeral|pregnan|new baby|childcare|school fees|passed away|\bdied\b|lost my (wife|husband|mother|mom|mum|father|dad|son|daughter)`, "")},
	{Illness, cue(`生病|病了|住院|手术|癌|化疗|icu|中风|\bbroke my|\bbroken (leg|arm|hand|back|hip)|肿瘤|白血病|尿毒症|透析|重病|大病|病重|受伤|车祸|骨折|看病|医药费|医疗费|治病|抑郁|身体(不好|出了问题)|`+
		`\bsick\b|\bill\b|illness|hospital|surgery|operation|cancer|chemo|injur|accident|medical|disease|depress`, "")},
	{BusinessFailure, cue(`生意|店(铺|面)?(倒闭|关|亏|黄|开不下去)|做买卖|亏(损|本|了|钱)|赔(了|钱|本)|倒闭|破产|关门|项目(失败|黄了)|货款|`+
		`\bbusiness|my (shop|store|restaurant|company)|bankrupt|went bust|lost money`, "")},
	{IncomeDrop, cue(`降薪|减薪|工资(降|减|少|拖欠|发不出|没发|被扣|停|只发)|(收入|工资|提成|奖金)(减少|下降|少了|不稳定|变少|降低|断了|没了|很低|太低)|拖欠工资|半薪|停工|没活|活少|`+
		`pay cut|salary (has been |was |is |got )?(cut|reduced|delayed|late|not paid)|hours (were |have been |got )?(cut|reduced)|cut my hours|cut my (salary|pay|wages)|income (dropped|fell|went down|has dropped|is down|reduced)|earning less|less work|commission`, "")},
}

// vulnerableCues mark a vulnerable borrower: any hint of self-harm, serious
// illness (hospital, surgery, cancer … of the borrower or close family),
// bereavement or acute distress. They are never cancelled by a negation: "I
// won't kill myself" still goes to a person.
var vulnerableCues = newLex(`自杀|不想活|活不下去|活着没(意思|意义)|我(想)?去死|想死|死了算了|一死了之|不如死|跳楼|跳河|跳桥|割腕|上吊|安眠药|轻生|一了百了|结束(自己的)?生命|遗书|寻死|没有活路|不活了|` +
	`癌|肿瘤|白血病|尿毒症|透析|化疗|放疗|重病|大病|病危|病重|icu|重症|瘫痪|中风|脑梗|心梗|住院|手术|抑郁症|精神病|绝症|晚期|` +
	`去世|过世|离世|病逝|(爸|妈|父亲|母亲|老公|老婆|丈夫|妻子|孩子|儿子|女儿|爷爷|奶奶)[^,.!?]{0,6}(走了|没了)|丧事|葬礼|办后事|` +
	`崩溃|绝望|撑不下去|走投无路|想不开|活得(好|太)累|受不了了|喘不过气|` +
	`kill myself|suicid|end my life|end it all|don'?t want to live|no reason to live|better off dead|want to die|wanna die|hurt myself|self[- ]harm|can'?t go on|take my (own )?life|no way out|` +
	`cancer|tumou?r|leuka?emia|chemo|dialysis|terminal|stroke|heart attack|intensive care|hospitali[sz]ed|in (the )?hospital|surgery|seriously ill|depression|paraly|` +
	`passed away|\bdied\b|death of|funeral|bereave|lost my (wife|husband|mother|mom|mum|father|dad|son|daughter|child|baby)|` +
	`desperate|breaking down|can'?t cope|hopeless|end of my rope|falling apart|panic attack|can'?t take (it|this) any ?more`)

// hypothetical marks a question about what paying would take (如果月底还清
// 要多少钱): a balance question, not a promise.
var hypothetical = newLex(`如果|要是|假如|的话|\bwould\b|\bif i\b`)
