"""New names by shape (kb/extract/candidates.py): tiers and variants of known families, products and plans,
companies by apposition, suffix, role and list, and the common words that only look like names.

Every sentence is written for the test; names meant to be new are checked to be absent from the gazetteer.
"""

import pytest

from kb.extract import extract
from kb.parse import Article


def facts(text: str, lang: str, gazetteer) -> dict:
    return extract(Article(text=text, language=lang, published="2026-03-01"), gazetteer=gazetteer)


def names(text: str, lang: str, gazetteer, key: str) -> set[str]:
    return {entity["name"] for entity in facts(text, lang, gazetteer)[key]}


# ---------------------------------------------------------------- models: new tiers and variants of known families

@pytest.mark.parametrize("lang, text, model", [
    ("en", "Anthropic said Claude Sonnet 7 would reach paying users first.", "Claude Sonnet 7"),
    ("en", "xAI opened grok-beta to developers through its API.", "grok-beta"),
    ("ko", "구글은 제미나이 4 울트라를 유료 구독자에게 먼저 공개했다.", "Gemini 4 Ultra"),
    ("ko", "앤트로픽의 '클로드 오퍼스7.1'이 평가에서 1위를 차지했다.", "Claude Opus 7.1"),
    ("ko", "xAI의 그록(Grok) 7.5가 공개됐다.", "Grok 7.5"),
    ("ko", "메타는 '라마-5.1-70B-인스트럭트'를 연구용으로 배포했다.", "Llama 5.1 70B Instruct"),
    ("zh", "百度推出文心大模型 9.0 工具版，面向企业开放。", "ERNIE 9.0 Tools"),
    ("zh", "腾讯发布了混元 Ultra，推理成本下降一半。", "Hunyuan Ultra"),
    ("en", "Anthropic previewed Claude Mythos 5 to a few security firms.", "Claude Mythos 5"),
    ("ko", "xAI는 영상 모델 그록 Imagine 2를 유료 사용자에게 열었다.", "Grok Imagine 2"),
    ("ko", "오픈AI는 GPT-5.7 인스턴트를 기본 모델로 바꿨다.", "GPT-5.7 Instant"),
    ("ko", "구글은 제미나이 4 플래시 이미지를 내놨다.", "Gemini 4 Flash Image"),
])
def test_an_unseen_tier_of_a_known_family_is_a_model(gazetteer, lang, text, model):
    assert gazetteer.by_name(model) is None, "the test needs a name the gazetteer does not know"
    assert model in names(text, lang, gazetteer, "models")


@pytest.mark.parametrize("lang, text, model", [
    ("en", "Meta said its new Lumen Forge AI model would power the glasses.", "Lumen Forge"),
    ("en", "The lab shipped its first open model, Quillon, on Tuesday.", "Quillon"),
    ("en", "The lab unveiled Vesper, a new reasoning model, on Monday.", "Vesper"),
    ("ko", "구글의 음악 생성 모델인 '소리결 2'를 기반으로 한다.", "소리결 2"),
    ("zh", "用户每月可以免费使用 200 次 vesper-small 模型。", "vesper-small"),
    ("zh", "目前 API 只有一个模型，名为「nova-beta」，价格为每百万 token 5 美元。", "nova-beta"),
])
def test_a_model_with_a_new_name_is_found_where_the_text_introduces_it(gazetteer, lang, text, model):
    assert gazetteer.by_name(model) is None, "the test needs a name the gazetteer does not know"
    assert model in names(text, lang, gazetteer, "models")


@pytest.mark.parametrize("lang, text", [
    ("en", "The company said its new AI model would ship in June."),
    ("en", "Jane Doe, a role model for many engineers, spoke first."),
    ("zh", "这款名为「浣熊食堂」的小游戏上线了。"),
    ("zh", "这是一个 MoE 模型，参数规模很大。"),
])
def test_words_that_merely_introduce_something_are_no_model_names(gazetteer, lang, text):
    assert {m["name"] for m in facts(text, lang, gazetteer)["models"] if m["candidate"]} == set()


@pytest.mark.parametrize("lang, text", [
    ("zh", "阿里云宣布通义千问9款模型集体降价。"),
    ("zh", "阿里云宣布通义千问12款模型集体降价。"),
    ("ko", "구글은 제미나이 3개 모델의 가격을 내렸다."),
    ("ko", "클로드 사용량이 12배 늘었다."),
])
def test_a_count_after_a_family_name_is_no_version(gazetteer, lang, text):
    # "9款" is nine models, "12배" twelve times: neither makes a "Qwen 9" or a "Claude 1"
    assert {m["name"] for m in facts(text, lang, gazetteer)["models"] if m["candidate"]} == set()


def test_one_new_model_spelt_two_ways_in_an_article_is_one_model(gazetteer):
    text = "Alibaba released Qwen3.9-Max on Monday. Qwen 3.9-Max tops the chart."
    models = [m for m in facts(text, "en", gazetteer)["models"] if m["candidate"]]
    assert len(models) == 1 and len(models[0]["mentions"]) == 2


def test_a_family_named_after_its_company_drops_the_company_word(gazetteer):
    # the gazetteer knows "Samsung Gauss"; a new version is "Gauss 3", not "Samsung 3"
    assert "Gauss 3" in names("삼성전자는 가우스 3를 사내에 배포했다.", "ko", gazetteer, "models")


def test_a_person_whose_first_name_is_a_family_word_is_no_product(gazetteer):
    text = "Claude Vasseur, a partner at the fund, said prices fell. Vasseur expects more cuts."
    result = facts(text, "en", gazetteer)
    assert not {p["name"] for p in result["products"]} and not {m["name"] for m in result["models"]}


def test_a_known_name_written_with_a_space_between_scripts_is_found(gazetteer):
    # the gazetteer spells it 文心大模型3.5; Chinese news puts a space between Han and Latin or digits
    assert "ERNIE 3.5" in names("百度此前开放的版本是文心大模型 3.5，现已全面免费。", "zh", gazetteer, "models")


def test_a_korean_name_spelt_out_in_latin_letters_after_a_family_is_a_model(gazetteer):
    text = "LG AI연구원이 의료 AI '엑사원 메드(EXAONE Med)'를 공개했다."
    assert "EXAONE Med" in names(text, "ko", gazetteer, "models")


# ---------------------------------------------------------------- products and plans are not models

@pytest.mark.parametrize("lang, text, product, family", [
    ("en", "Anthropic's Claude Cowork agent can now book meetings.", "Claude Cowork", "Claude"),
    ("ko", "개발자들은 앤트로픽의 '클로드 코드'로 코딩 시간을 줄였다.", "Claude Code", "Claude"),
    ("en", "Anthropic now sells Claude Team seats to small companies.", "Claude Team", "Claude"),
    ("en", "Google AI Plus costs $7.99 a month in India.", "Google AI Plus", "Google AI Plus"),
    ("ko", "구글은 구글 AI 플러스를 국내에 출시했다.", "Google AI Plus", "Google AI Plus"),
    ("en", "Google cut the price of its AI Plus subscription to $4.99 a month.", "Google AI Plus", "Google AI Plus"),
])
def test_apps_features_and_plans_of_a_family_are_products(gazetteer, lang, text, product, family):
    result = facts(text, lang, gazetteer)
    assert product in {p["name"] for p in result["products"]}
    assert not {product, family} & {m["name"] for m in result["models"]}


@pytest.mark.parametrize("lang, text, wrong", [
    ("ko", "구글 에이전트가 업무를 대신 처리한다.", "Google Agent"),
    ("ko", "제미나이 이미지 생성 기능이 좋아졌다.", "Gemini Image"),
    ("en", "Its rival AI 3 times faster than before, the company claimed.", "AI 3"),
    ("ko", "엔비디아 GR00T 로봇 플랫폼과 함께 GR 2 로봇이 소개됐다.", "GR 2"),
    ("ko", "행사에서 가장 주목받은 것은 추론 칩인 '그록9 LPU'였다.", "Grok 9"),
    ("zh", "腾讯混元大模型 12 月 3 日将上线视频生成能力。", "Hunyuan 12"),
])
def test_company_words_common_words_hardware_and_dates_make_no_model(gazetteer, lang, text, wrong):
    assert wrong not in names(text, lang, gazetteer, "models")


# ---------------------------------------------------------------- companies by apposition, suffix, role and list

@pytest.mark.parametrize("lang, text, company", [
    ("en", "Netflix bought the AI startup Quillmark to speed up visual effects.", "Quillmark"),
    ("en", "She left to co-found an AI startup called Tidewater Loop with two former colleagues.", "Tidewater Loop"),
    ("en", "A study from detection outfit Halden.ai found that half of the posts were machine-written.", "Halden.ai"),
    ("en", "Priya Nair, founder of Lantern Robotics Institute, said the robots were ready.", "Lantern Robotics Institute"),
    ("ko", "AI 스타트업 뉴로포지는 이번 투자로 인력을 두 배로 늘린다.", "뉴로포지"),
    ("ko", "구글은 지난달 인수한 마루랩스AI(MaruLabsAI) 기술을 서비스에 넣었다.", "MaruLabsAI"),
    ("ko", "삼성전자, 노바칩스, 리벨리온 등 반도체 기업이 참여했다.", "노바칩스"),
    ("zh", "目前，字节、快手、星图智算等公司均推出了视频生成产品。", "星图智算"),
    ("zh", "「成本还会下降。」澜舟科技创始人兼CEO周明对记者表示。", "澜舟科技"),
    ("zh", "它与 Cognition、Poolside、Brightfold 和 Quanta 等公司竞争。", "Brightfold"),
    ("en", "Vesper AI raised $40 million from two funds on Tuesday.", "Vesper AI"),
    ("ko", "스카이랩스는 반지형 기기를 내놨다.", "스카이랩스"),
    ("ko", "마루AI는 새 모델을 공개했다. 마루AI가 밝힌 가격은 절반이다.", "마루AI"),
    ("en", "Last week, Quillmark’s CEO said the startup spends more on data than on salaries.", "Quillmark"),
    ("ko", "매튜 프라이스 노바브릿지 CEO는 가격을 내리겠다고 말했다.", "노바브릿지"),
    ("zh", "「成本还会下降。」星图智算创始人王磊表示。", "星图智算"),
    ("zh", "Lumora 公司今天宣布完成新一轮融资。", "Lumora"),
    ("zh", "「我们很乐观。」星河智算公司表示。", "星河智算"),
    ("en", "Nvidia also backed Vellum, a San Francisco startup that builds agents.", "Vellum"),
])
def test_a_new_company_is_found_by_its_shape(gazetteer, lang, text, company):
    assert gazetteer.by_name(company) is None, "the test needs a name the gazetteer does not know"
    assert company in names(text, lang, gazetteer, "companies")


@pytest.mark.parametrize("lang, text", [
    ("en", "News\nSoftware & AI\nArtificial Intelligence\nOperating Systems\nGaming\nEpic Games News\n"),
    ("en", "Fidji Simo, OpenAI's CEO of Applications, wrote about the launch."),
    ("en", "MU Micron Technology, Inc. 1,235.24 +187.32 (+17.88%)\nDELL Dell Technologies Inc. 399.01 -35.01 (-8.07%)\n"),
    ("en", "The Enterprise AI Shortcut: Why Co-Innovation Is Setting A New Speed For Growth"),
    ("en", "Google's Personal Intelligence feature wrote a summary of my week."),
    ("en", "OpenAI is reportedly mulling price cuts to stay ahead of rival AI models."),
    ("ko", "언론사와 AI 기업 간의 콘텐츠 계약이 늘고 있다. AI 기업 간의 경쟁도 치열하다."),
    ("ko", "기술기업 올해 들어 해고가 이어졌다. 기술기업 올해 실적은 부진했다."),
    ("zh", "对于国内的大模型公司来说，核心问题还是算力。对于大模型公司来说，这并不容易。"),
    ("zh", "阿里巴巴和字节跳动等大型云服务商对租赁价格更高。大型公司需要考虑合规性。"),
    ("ko", "생성형 AI(Generative AI) 시장이 커지고 있다. 생성형 AI(Generative AI) 기업이 늘었다."),
    ("zh", "「人工智能创始人」这个说法并不准确。"),
    ("ko", "생성형AI 시장이 커졌다. 생성형AI가 인기다. 온디바이스AI도 뜬다."),
    ("en", "Generative AI said to be the year's theme, and Physical AI raised hopes too."),
    ("ko", "이번 행사에서 한 스타트업 CEO는 규제를 걱정했다."),
    ("zh", "台积电成为第一家市值破万亿的非美国科技公司，全球仅有六家科技公司做到。"),
    ("en", "The round was led by Hannah Lowe, a partner at a venture firm in Boston."),
    ("en", "The round was led by Dutch chip equipment maker ASML, which put in 1.3 billion euros."),
    ("en", "The panel included Jane Doe, a startup founder from Austin, and two engineers."),
])
def test_section_words_headlines_tickers_and_common_words_are_not_companies(gazetteer, lang, text):
    new = {c["name"] for c in facts(text, lang, gazetteer)["companies"] if c["candidate"]}
    assert new == set()


def test_a_company_name_before_a_venue_word_is_the_venue(gazetteer):
    assert "SAP" not in names("The keynote took place at SAP Center in San Jose.", "en", gazetteer, "companies")


# ---------------------------------------------------------------- ambiguous names written as names

@pytest.mark.parametrize("lang, text, company", [
    ("zh", "据悉，苹果计划在明年发布搭载自研芯片的新款 iPhone。", "Apple"),
    ("zh", "## Meta 将关闭旧版应用，专注开发 AI 眼镜", "Meta"),
    ("zh", "这款手机将搭载高通的芯片，售价约 4000 元。", "Qualcomm"),
    ("en", "Analysts said customers such as Microsoft, Meta and Amazon were not slowing orders.", "Meta"),
    ("en", "And then there's Apple ( AAPL ), which is said to be working on its own pair.", "Apple"),
    ("ko", "애플 주가는 AI 기대감에 3% 올랐다.", "Apple"),
])
def test_an_ambiguous_company_written_as_a_name_in_a_tech_sentence_counts(gazetteer, lang, text, company):
    assert company in names(text, lang, gazetteer, "companies")


@pytest.mark.parametrize("lang, text, company", [
    ("zh", "高通的 X Elite 芯片用于 AI 笔记本，微软也在用。", "X"),
    ("zh", "新款笔记本配有 HONOR Turbo X 全域资源调度，搭载 AI 芯片，可与微软 Copilot 配合。", "X"),
])
def test_a_letter_of_a_product_name_is_not_the_company_x(gazetteer, lang, text, company):
    assert company not in names(text, lang, gazetteer, "companies")


@pytest.mark.parametrize("lang, text", [
    ("zh", "妈妈买了一袋苹果，味道很甜。"),
    ("ko", "주말에 애플 파이를 구웠다."),
    ("en", "Apple pie is the dessert of the season.\nApple’s orchard owners expect a good harvest."),
])
def test_an_ambiguous_company_name_without_tech_context_is_not_the_company(gazetteer, lang, text):
    assert "Apple" not in names(text, lang, gazetteer, "companies")


# ---------------------------------------------------------------- companies: lists after a plural noun, spaced "AI" names

def test_every_name_listed_after_a_plural_noun_for_companies_is_a_company(gazetteer):
    text = ("Nvidia still leads the market. Smaller chip startups Norvane and Quill Systems each shipped fewer "
            "than ten thousand cards last year, analysts said.")
    assert gazetteer.by_name("Norvane") is None and gazetteer.by_name("Quill Systems") is None
    assert {"Norvane", "Quill Systems"} <= names(text, "en", gazetteer, "companies")


def test_a_plural_noun_without_a_closed_list_names_no_company(gazetteer):
    text = "Many startups Hope to raise money this year, and most firms Expect a slower market."
    assert not {"Hope", "Expect"} & names(text, "en", gazetteer, "companies")


def test_a_korean_company_name_ending_in_a_spaced_ai_is_kept_whole(gazetteer):
    text = ("미국 AI 기업 노바리 AI 와 국내 유통사가 협업을 발표했다. 노바리 AI 는 재고 관리 모델을 공급한다. "
            "업계는 이번 협업이 유통 전반으로 번질 것으로 본다.")
    assert gazetteer.by_name("노바리 AI") is None
    assert "노바리 AI" in names(text, "ko", gazetteer, "companies")


def test_a_field_of_ai_after_the_noun_for_company_is_no_name(gazetteer):
    text = ("국내 기업 비전 AI 도입이 늘었다. 비전 AI 시장은 올해 두 배로 컸고, 기업 음성 AI 수요도 늘었다. "
            "음성 AI 업체들은 공공 사업에 참여한다.")
    found = names(text, "ko", gazetteer, "companies")
    assert not {"비전 AI", "음성 AI"} & found


def test_a_plain_word_said_to_be_the_model_is_no_model(gazetteer):
    text = "星河科技表示，这个模型是 Good 的选择，价格也更低，开发者反馈积极。"
    assert "Good" not in names(text, "zh", gazetteer, "models")


@pytest.mark.parametrize("lang, text, company", [
    ("zh", "据报道，谷歌拟以 120 亿美元收购 Veltrix，这将是其最大一笔收购。", "Veltrix"),
    ("en", "Lumora agreed to acquire Brightwell for $2 billion, the company said on Monday.", "Brightwell"),
])
def test_what_is_acquired_is_a_company(gazetteer, lang, text, company):
    assert gazetteer.by_name(company) is None
    assert company in names(text, lang, gazetteer, "companies")


def test_an_acronym_after_acquire_is_left_out(gazetteer):
    text = "The chipmaker plans to acquire HBM capacity from suppliers, it said on Monday."
    assert "HBM" not in names(text, "en", gazetteer, "companies")


def test_a_group_of_people_is_no_company(gazetteer):
    text = "정부는 워킹그룹을 꾸렸다. 워킹그룹은 다음 달 AI 기본법 시행령 초안을 낸다. 고객그룹은 한 번만 나온다."
    found = names(text, "ko", gazetteer, "companies")
    assert not {"워킹그룹", "고객그룹"} & found


@pytest.mark.parametrize("lang, text, name, kind", [
    pytest.param("zh", "星河科技今天发布视频生成功能，其底层的视频生成模型是 LumaVid2，可生成十秒的视频。", "LumaVid2", "models",
                 id="a Latin name said to be the model in Chinese is a model"),
    pytest.param("ko", "노바리그룹은 올해 데이터센터 사업에 뛰어들었다. 업계는 노바리그룹이 공공 사업도 노릴 것으로 본다.", "노바리그룹",
                 "companies", id="a Korean name glued to 그룹 and named twice is a company"),
    pytest.param("zh", "人工智能行业竞争激烈。同一天，创企星语科技发布视频生成产品，面向创作者开放。", "星语科技", "companies",
                 id="a Chinese startup named after 创企 is a company"),
    pytest.param("zh", "行业分析认为推理模型正在兴起。大学教授、星语智能发起人周明远对记者表示，推理成本会继续下降。", "星语智能", "companies",
                 id="an organisation whose initiator speaks to someone is a company"),
])
def test_a_name_no_list_knows_is_found_by_its_cue(gazetteer, lang, text, name, kind):
    assert gazetteer.by_name(name) is None
    assert name in names(text, lang, gazetteer, kind)
