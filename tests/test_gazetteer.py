import pytest

from kb.extract.gazetteer import normalise_name


def _ids(gazetteer, text):
    return [m.entity_id for m in gazetteer.find(text)]


@pytest.mark.parametrize("text", ["딥시크가 모델을 공개했다", "딥시크의 모델", "딥시크와 오픈AI", "深度求索发布", "DeepSeek's model"])
def test_deepseek_is_found_with_particles_and_in_every_script(gazetteer, text):
    assert "deepseek" in _ids(gazetteer, text)


@pytest.mark.parametrize("text", ["오픈AI가 발표했다", "오픈 AI의 발표", "OpenAI's model"])
def test_openai_spellings(gazetteer, text):
    assert _ids(gazetteer, text)[0] == "openai"


@pytest.mark.parametrize("text", ["메타버스 플랫폼이 성장했다", "애플리케이션을 내려받았다", "a meta-analysis of trials"])
def test_words_that_merely_start_with_a_name_are_not_the_company(gazetteer, text):
    assert not {"meta", "apple"} & set(_ids(gazetteer, text))


@pytest.mark.parametrize("text, model", [("GPT-4o is fast", "gpt-4o"), ("GPT-4 is old", "gpt-4"), ("o3 미니를 공개", "o3-mini"),
                                         ("o3-mini launched", "o3-mini"), ("o3미니 가격", "o3-mini")])
def test_longest_model_name_wins_and_versions_stay_apart(gazetteer, text, model):
    assert _ids(gazetteer, text)[0] == model


def test_offsets_index_the_original_text(gazetteer):
    text = "실제로 오픈AI는 'o3 미니'를 공개했다."
    for match in gazetteer.find(text):
        assert text[match.start : match.end] == match.text


def test_names_normalise_across_spacing_and_case():
    assert normalise_name("o3 Mini") == normalise_name("o3-mini") == normalise_name("O3-MINI")


def test_gazetteer_is_large_enough_and_consistent(gazetteer):
    companies, models, people = (gazetteer.of_type(t) for t in ("company", "model", "person"))
    assert len(companies) >= 80 and len(models) >= 150 and len(people) >= 60
    for model in models:
        assert model.developer in gazetteer.entities, model.id
    for person in people:
        assert person.organization is None or person.organization in gazetteer.entities, person.id


@pytest.mark.parametrize("text, entity", [("百度开放了文心大模型 3.5", "ernie-3.5"), ("百度开放了文心大模型3.5", "ernie-3.5"),
                                          ("腾讯混元 Turbo 降价", "hunyuan-turbo"), ("腾讯混元Turbo 降价", "hunyuan-turbo")])
def test_a_script_change_may_be_written_with_or_without_a_space(gazetteer, text, entity):
    assert entity in _ids(gazetteer, text)


@pytest.mark.parametrize("text, entity", [
    ("The finals were held at SAP Center in San Jose.", "sap"),
    ("OpenAI is building more Stargate data centers in Texas.", "stargate"),
    ("미시간주에 짓는 스타게이트 데이터센터가 공개됐다.", "stargate"),
    ("추론 칩인 그록3 LPU가 주목받았다.", "grok-3"),
])
def test_a_name_before_a_word_for_a_place_or_hardware_names_that_thing(gazetteer, text, entity):
    assert entity not in _ids(gazetteer, text)


@pytest.mark.parametrize("text, entity", [("手机配备京东方的屏幕", "jd"), ("《王者荣耀》新版本上线", "honor")])
def test_a_longer_known_word_keeps_a_short_name_inside_it_out(gazetteer, text, entity):
    assert entity not in _ids(gazetteer, text)
