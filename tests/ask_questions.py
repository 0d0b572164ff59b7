"""The public question set for /ask: questions as analysts write them, with what each answer must and must not say.

Written from the curated data (knowledge/data/*.toml) before the reader was tuned. Each case: the question, facts
the answer must contain, facts it must not contain, and the status where it matters ("not_found" where the
honest answer is that the data does not say). Matching is case-insensitive on the reply's plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    question: str
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    status: str | None = None
    kind: str = ""
    tags: tuple[str, ...] = field(default=())


def case(kind: str, question: str, must=(), must_not=(), status=None) -> Case:  # type: ignore[no-untyped-def]
    return Case(question, tuple(must), tuple(must_not), status, kind)


CASES: tuple[Case, ...] = (
    # --- profile ---
    case("profile", "who is i-Soon?", ["Sichuan Anxun", "UK (FCDO): UK cyber sanctions", "designated 2025-12-09"]),
    case("profile", "tell me about integrity technology group", ["Beijing Yongxin Zhicheng", "50543"]),
    case("profile", "Brief me on Salt Typhoon", ["GhostEmperor", "13 countries"]),
    case("profile", "what's APT31", ["Hubei State Security Department"]),
    case("profile", "who is wu haibo", ["as the founder of i-Soon", "charged"]),
    case("profile", "四川安洵信息技术有限公司是什么公司", ["i-Soon", "Sichuan Anxun"]),
    case("profile", "who is 永信至诚", ["Integrity Technology Group"]),
    case("profile", "WHO IS YIN KECHENG", ["52747", "Shanghai-based"]),
    case("profile", "info on Hurricane Salt", ["Salt Typhoon"]),
    case("profile", "what is the i-Soon leak", ["leaked publicly in February 2024"]),
    case("profile", "i soon", ["Sichuan Anxun"]),
    case("profile", "Who is Zhao Guangzong?", ["CYB0045", "47814"]),
    case("profile", "who is Guangzong Zhao", ["CYB0045"]),
    # --- who sanctioned X, when, regime, why ---
    case(
        "sanctions",
        "which governments have sanctioned Integrity Tech?",
        ["UK (FCDO)", "US (OFAC)", "2025-01-03", "2025-12-09"],
    ),
    case("sanctions", "who sanctioned i-Soon?", ["UK (FCDO)", "2025-12-09"], ["US (OFAC) ·"]),
    case("sanctions", "when was Sichuan Juxinhe sanctioned", ["2025-01-17", "US (OFAC)", "52749"]),
    case("sanctions", "was i-Soon delisted?", ["i-Soon is sanctioned by UK (FCDO) (2025-12-09)"]),
    case("sanctions", "has Yin Kecheng been removed from the sanctions list?", ["Yin Kecheng is sanctioned by US"]),
    case("sanctions", "under which regime was Zhou Shuai designated?", ["US cyber-related sanctions", "EO 13694"]),
    case("sanctions", "why was integrity tech sanctioned", ["Flax Typhoon intrusions", "Reckless and indiscriminate"]),
    case("sanctions", "Why did the UK sanction i-Soon?", ["Reckless and indiscriminate", "80 governments"]),
    case(
        "sanctions",
        "what are the reasons for the sanctions on Yin Kecheng",
        ["linked to the Ministry of State Security"],
    ),
    case("sanctions", "when were Ni Gaobin's designations", ["2024-03-25", "CYB0046", "47818"]),
    case("sanctions", "what sanctions does Wuhan Xiaoruizhi face?", ["asset freeze", "CYB0044", "47800"]),
    case("sanctions", "what sanctions measures apply to Zhao Guangzong", ["travel ban"]),
    case("sanctions", "who has sanctioned Shanghai Heiying", ["US (OFAC)", "2025-03-05"], ["UK (FCDO) ·"]),
    case(
        "sanctions",
        "which countries have sanctioned Salt Typhoon?",
        ["no sanction of Salt Typhoon"],
        status="not_found",
    ),
    case("sanctions", "is Beijing Huanyu Tianqiong sanctioned?", ["no sanction"], status="not_found"),
    case("sanctions", "why was Wu Haibo sanctioned", ["no sanction of Wu Haibo"], status="not_found"),
    case(
        "sanctions",
        "which regime was intergrity tech sanctioned under",
        ["Integrity Technology Group", "UK cyber sanctions", "US cyber-related sanctions"],
    ),
    # --- whether authority A sanctioned X ---
    case(
        "sanctioned by",
        "is i-Soon sanctioned by the US?",
        ["no sanction of i-Soon by US (OFAC)", "UK (FCDO)"],
        status="not_found",
    ),
    case("sanctioned by", "Has the UK sanctioned Integrity Technology Group?", ["Yes", "2025-12-09"]),
    case("sanctioned by", "did OFAC designate Sichuan Juxinhe?", ["Yes", "52749"]),
    case(
        "sanctioned by",
        "has britain sanctioned zhou shuai",
        ["no sanction of Zhou Shuai by UK (FCDO)"],
        status="not_found",
    ),
    case("sanctioned by", "is Zhao Guangzong sanctioned by the UK?", ["Yes", "CYB0045"]),
    case("sanctioned by", "Did the Treasury sanction Ni Gaobin", ["Yes", "47818"]),
    case(
        "sanctioned by",
        "is i-soon on the US sanctions list",
        ["no sanction of i-Soon by US (OFAC)"],
        status="not_found",
    ),
    case(
        "sanctioned by",
        "has the EU sanctioned i-Soon?",
        ["no sanction of i-Soon by European Union"],
        status="not_found",
    ),
    case("sanctioned by", "did the FCDO sanction Wuhan Xiaoruizhi Science and Technology?", ["Yes", "CYB0044"]),
    case(
        "sanctioned by",
        "Has the UN designated Integrity Tech",
        ["no sanction", "UN Security Council"],
        status="not_found",
    ),
    # --- accused of / charged with, by whom ---
    case("accused", "what is Integrity Tech accused of?", ["260,000", "FCDO alleges", "allegations"]),
    case("accused", "what is i-Soon alleged to have done", ["80 governments", "UK FCDO"]),
    case("accused", "what did i-soon do", ["80 governments"]),
    case("accused", "who accuses Sichuan Juxinhe and of what", ["13 countries", "Salt Typhoon"]),
    case("accused", "what has Wu Haibo been charged with", ["US Department of Justice", "charged"]),
    case("accused", "allegations against Beijing Huanyu Tianqiong", ["13 countries", "intelligence units"]),
    case("accused", "what is Wuhan Xiaoruizhi accused of", ["front company for APT31"]),
    case("accused", "what are the allegations about Salt Typhoon", ["13 countries", "telecommunications"]),
    case(
        "accused",
        "has Integrity Tech been charged with anything?",
        ["no charges against Integrity Technology Group"],
        status="not_found",
    ),
    case("accused", "what is Zhou Shuai accused of?", ["no allegation against Zhou Shuai"], status="not_found"),
    case("accused", "who did i-Soon attack", ["80 governments", "UK public sector"]),
    case("accused", "what is Sichuan Airlines accused of?", ["No entity matching"], status="not_found"),
    # --- who founded / runs / operates / is behind X ---
    case("behind", "who operates Raptor Train?", ["Integrity Technology Group", "advisory"]),
    case("behind", "who founded i-Soon?", ["Wu Haibo", "Justice"]),
    case("behind", "who is the founder of i-soon", ["Wu Haibo"]),
    case("behind", "who runs the Raptor Train botnet", ["Integrity Technology Group"]),
    case("behind", "who is behind APT31?", ["Hubei State Security Department"]),
    case("behind", "who controls raptor train", ["Integrity Technology Group"]),
    case("behind", "who founded Integrity Tech", ["does not say who founded"], status="not_found"),
    case("behind", "who is behind Salt Typhoon", ["does not say", "Sichuan Juxinhe"], status="not_found"),
    case("behind", "what does Integrity Technology Group operate?", ["Raptor Train"]),
    case("behind", "what did Wu Haibo found", ["i-Soon"]),
    # --- linked to, sanctioned over ---
    case("linked", "which firms are tied to Flax Typhoon", ["Integrity Technology Group"], ["Raptor Train (botnet)"]),
    case("linked", "what is related to Flax Typhoon?", ["Integrity Technology Group", "Raptor Train"]),
    case(
        "linked",
        "which companies are linked to Salt Typhoon?",
        ["Sichuan Juxinhe", "Beijing Huanyu Tianqiong", "Sichuan Zhixin Ruijie"],
    ),
    case("linked", "what is Yin Kecheng connected to", ["Ministry of State Security"]),
    case("linked", "who is associated with Zhao Guangzong", ["Ni Gaobin", "Wuhan Xiaoruizhi"]),
    case("linked", "what links does Raptor Train have", ["Flax Typhoon", "Integrity Technology Group"]),
    case("linked", "which people are linked to i-Soon", ["Wu Haibo"], ["Integrity Technology Group (company)"]),
    case(
        "over",
        "who was sanctioned over Salt Typhoon?",
        ["Sichuan Juxinhe", "US (OFAC): US cyber-related sanctions", "designated 2025-01-17"],
        ["Sichuan Zhixin Ruijie (company)"],
    ),
    case("over", "which companies were sanctioned for Flax Typhoon", ["Integrity Technology Group"]),
    case("over", "has anyone been sanctioned in connection with Raptor Train?", ["Integrity Technology Group"]),
    case("over", "who got sanctioned over apt31", ["Wuhan Xiaoruizhi"]),
    case("over", "which sanctioned companies are tied to salt typhon", ["Sichuan Juxinhe"]),
    # --- two entities ---
    case("common", "what do i-Soon and Integrity Tech have in common?", ["Both designated by UK (FCDO) on 2025-12-09"]),
    case("common", "how are Zhao Guangzong and Ni Gaobin connected", ["2024-03-25"]),
    case("common", "what do Sichuan Juxinhe and Beijing Huanyu Tianqiong share", ["Salt Typhoon"]),
    case("common", "is there a link between Integrity Tech and Raptor Train?", ["operates", "Raptor Train"]),
    case("common", "compare Yin Kecheng and Sichuan Juxinhe", ["2025-01-17"]),
    # --- former and other names ---
    case("names", "what was Integrity Tech formerly called?", ["Beijing Yongxin Zhicheng Technology"]),
    case("names", "former names of integrity technology group", ["Beijing Yongxin Zhicheng"]),
    case("names", "what other names does Salt Typhoon go by", ["GhostEmperor", "OPERATOR PANDA", "RedMike", "UNC5807"]),
    case("names", "does i-Soon have a former name?", ["no former name of i-Soon"], status="not_found"),
    case("names", "what is i-Soon's Chinese name", ["四川安洵信息技术有限公司"]),
    case("names", "aliases of Sichuan Juxinhe", ["Sichuan Juxinhe Network Technology Co., Ltd."]),
    # --- where based ---
    case("based", "where is Integrity Tech based?", ["China", "Beijing-based"]),
    case("based", "where is Yin Kecheng based", ["Shanghai-based"]),
    case("based", "which country is i-Soon in", ["China"]),
    case("based", "where is Raptor Train located", ["does not say where Raptor Train is based"], status="not_found"),
    # --- facts inside statements ---
    case("fact", "how many compromised devices did the botnet have?", ["260,000", "alleges"]),
    case("fact", "how many governments did i-Soon attack?", ["over 80 governments", "FCDO"]),
    case("fact", "how many countries co-sealed the Salt Typhoon advisory", ["13 countries"]),
    case("fact", "how many devices were in Integrity Tech's botnet", ["260,000"]),
    case("fact", "how many Chinese nationals did the DOJ charge?", ["12 Chinese nationals", "Justice"]),
    case("fact", "when did the i-Soon documents leak?", ["February 2024"]),
    case("fact", "how many employees does i-Soon have?", ["no statement"], status="not_found"),
    case("fact", "how much revenue does Integrity Tech make", ["no statement"], status="not_found"),
    # --- what happened on a date or in a period ---
    case("events", "what happened on 9 December 2025?", ["i-Soon", "Integrity Technology Group", "UK (FCDO)"]),
    case("events", "what happened in August 2025", ["2025-08-27", "advisory"]),
    case("events", "what happened on 2025-03-05", ["Zhou Shuai", "Shanghai Heiying"]),
    case("events", "any news last month?", ["no designation or document"], status="not_found"),
    # --- lists of designations ---
    case(
        "designations",
        "what did the Treasury designate in March 2025?",
        ["Zhou Shuai", "Shanghai Heiying"],
        ["Integrity Technology Group —"],
    ),
    case(
        "designations",
        "what has the UK sanctioned this year?",
        ["0 matching designations", "2025-12-09"],
        status="not_found",
    ),
    case(
        "designations",
        "What did the UK sanction in 2024?",
        ["Wuhan Xiaoruizhi", "Zhao Guangzong", "Ni Gaobin"],
        ["i-Soon —"],
    ),
    case(
        "designations",
        "which Chinese companies did OFAC designate in January 2025",
        ["Integrity Technology Group", "Sichuan Juxinhe"],
        ["Yin Kecheng —"],
    ),
    case(
        "designations",
        "which people did the UK sanction under the cyber regime in 2024",
        ["Zhao Guangzong", "Ni Gaobin"],
        ["Wuhan Xiaoruizhi —", "US cyber"],
    ),
    case(
        "designations",
        "US sanctions between January and March 2025",
        ["Integrity Technology Group", "Zhou Shuai", "Yin Kecheng"],
    ),
    case("designations", "designations in Dec 2025", ["i-Soon", "Integrity Technology Group"]),
    case("designations", "what has the UN sanctioned?", ["0 matching designations"], status="not_found"),
    case(
        "designations",
        "which individuals did the US sanction since March 2024",
        ["Zhao Guangzong", "Zhou Shuai"],
        ["Sichuan Juxinhe —"],
    ),
    case("designations", "british cyber sanctions in 2025", ["i-Soon", "Integrity Technology Group"]),
    case("designations", "what did the EU designate in 2024?", ["0 matching designations"], status="not_found"),
    case("designations", "sanctions in the last 400 days", ["i-Soon"]),
    case(
        "designations",
        "Russian companies sanctioned by the UK in 2025",
        # ZSERVERS: UK list CYB0064 (2025-02-11), its Russian address from the OFAC record of the same card.
        ["1 matching designation", "ZSERVERS", "2025-02-11", "UK (FCDO)"],
        ["i-Soon —", "Integrity Technology Group —"],
    ),
    # --- not understood: say what was understood, offer rephrasings ---
    case("fallback", "what will the weather be tomorrow?", ["can't answer", "/ask"], status="not_found"),
    case("fallback", "who is Acme Widgets Corporation?", ["No entity matching"], status="not_found"),
)

# Added after the first round, in wordings the reader had not seen (each kind above, phrased anew).
CASES += (
    case("sanctioned by", "when did OFAC designate Yin Kecheng", ["2025-01-17", "52747"], ["UK (FCDO) ·"]),
    case("accused", "what has the DOJ accused Wu Haibo of?", ["charged Wu Haibo", "US Department of Justice"]),
    case("fact", "How many governments were targeted by i-Soon", ["over 80 governments"]),
    case("profile", "tell me about CYB0045", ["Zhao Guangzong", "list reference"]),
    case(
        "sanctions",
        "Was Sichuan Zhixin Ruijie ever designated?",
        ["no sanction of Sichuan Zhixin Ruijie"],
        status="not_found",
    ),
    case("common", "what does APT31 have to do with Wuhan Xiaoruizhi", ["front", "2024-03-25"]),
    case("based", "which country does Salt Typhoon come from", ["China"]),
)

CASES += (
    case("events", "what happened between 1 and 10 December 2025", ["2025-12-09", "i-Soon"]),
    case("linked", "Which entities are co-designated with Zhou Shuai?", ["Shanghai Heiying", "co-designated"]),
    case("profile", "what is the NCSC's assessment?", ["ecosystem", "NCSC assessed"]),
    case("names", "what are the aliases for salt typhoon", ["GhostEmperor", "Hurricane Salt"]),
    case(
        "designations", "did the UK sanction any Chinese companies last year", ["i-Soon", "Integrity Technology Group"]
    ),
    case("sanctions", "what measures did the UK impose on i-Soon", ["financial sanctions", "2025-12-09"]),
)

CASES += (
    case(
        "sanctions", "how many governments have sanctioned Integrity Tech?", ["2 authorities", "UK (FCDO)", "US (OFAC)"]
    ),
    case("designations", "how many people has the UK sanctioned in 2024?", ["designations", "Zhao Guangzong"]),
)

# What an authority said about an entity: its own allegations (worded as its allegations), never "in common".
CASES += (
    case(
        "claims",
        "what did the Justice Department say about i-Soon",
        ["US Department of Justice charged 12 Chinese nationals", "1 allegation", "“Justice Department” = US Depart"],
        ["have in common", "FCDO alleges"],
    ),
    case(
        "claims",
        "What did the DOJ say about Wu Haibo?",
        ["charged Wu Haibo", "US Department of Justice"],
        ["in common"],
    ),
    case(
        "claims", "what does the FCDO allege about integrity tech", ["260,000", "UK FCDO"], ["OFAC alleges", "FBI, NSA"]
    ),
    case(
        "claims", "what did the Treasury say about Integrity Tech", ["OFAC alleges", "Flax Typhoon"], ["FCDO alleges"]
    ),
    case(
        "claims", "according to the UK, what did i-Soon do?", ["80 governments", "UK FCDO"], ["Department of Justice"]
    ),
    case(
        "claims",
        "what has the Department of Justice charged i-soon with",
        ["12 Chinese nationals", "1 charge"],
        ["FCDO alleges"],
    ),
    case(
        "claims",
        "what does the DOJ allege about Integrity Tech",
        ["no allegation by US Department of Justice about Integrity Technology Group", "by others"],
        ["in common"],
        status="not_found",
    ),
    case("claims", "What did OFAC say about Sichuan Juxinhe?", ["role in Salt Typhoon", "US (OFAC)"], ["13 countries"]),
    case("claims", "what are the NCSC's views on i-Soon", ["ecosystem", "UK NCSC"], ["80 governments"]),
    case("claims", "what did the US say about i-Soon", ["US Department of Justice"], ["FCDO alleges", "in common"]),
    case("claims", "Has the UK accused i-Soon of anything?", ["80 governments", "UK FCDO"], ["Justice charged"]),
    # A sanctions question keeps the authority as whose sanctions are asked about, though it "stated" them.
    case(
        "sanctions",
        "what reasons has the UK stated for sanctioning i-Soon",
        ["Reckless and indiscriminate", "by UK (FCDO)"],
        ["said by"],
    ),
)

# Written from the curated data and the fact sheet after the reader was tuned, and not tuned for: typos, case,
# full stops, answers the data does not hold.
UNTUNED: tuple[Case, ...] = (
    case(
        "accused",
        "WHAT IS SHANGHAI HEIYING ACCUSED OF?",
        ["no allegation against Shanghai Heiying"],
        status="not_found",
    ),
    case("sanctions", "who sanctioned ni gaobin.", ["UK (FCDO)", "US (OFAC)", "2024-03-25"]),
    case("based", "wher is Sichuan Juxinhe based?", ["China"]),
    case("behind", "who is behind Wuhan Xiaoruizhi", ["APT31"]),
    case("sanctions", "Which OFAC list reference does Zhou Shuai have?", ["52828"]),
    case("sanctions", "what was Zhao Guangzong sanctioned for?", ["UK (FCDO)", "2024-03-25"]),
    case("sanctioned by", "has the uk designated integrty technology group", ["Yes", "2025-12-09"]),
    case("fact", "how many countries' agencies accuse Beijing Huanyu Tianqiong?", ["13 countries"]),
    case(
        "designations",
        "What did OFAC designate on 5 March 2025?",
        ["Zhou Shuai", "Shanghai Heiying"],
        ["Integrity Technology Group —"],
    ),
    case("behind", "who founded Shanghai Heiying?", ["does not say who founded"], status="not_found"),
    case(
        "sanctioned by",
        "is Salt Typhoon on the UK sanctions list?",
        ["no sanction of Salt Typhoon"],
        status="not_found",
    ),
    case("events", "what happened in March 2024?", ["2024-03-25", "Wuhan Xiaoruizhi"]),
    case("based", "Where is Wu Haibo based", ["China"]),
    case("names", "what's the chinese name of Integrity Tech", ["北京永信至诚科技股份有限公司"]),
    case("designations", "designations by OFAC in 2024", ["Wuhan Xiaoruizhi", "Zhao Guangzong", "Ni Gaobin"]),
    case("sanctions", "is Guan Tianfeng sanctioned?", ["US (OFAC)", "52263"]),
    case("profile", "who is sichuan silence", ["52112"]),
    case("profile", "What is Raptor train?", ["botnet", "Integrity Technology Group"]),
)
CASES += UNTUNED
