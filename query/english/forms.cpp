#include "query/english/forms.hpp"

namespace parley::query::english {

const std::vector<QuestionForm>& QuestionForms() {
  static const std::vector<QuestionForm> forms = {
      {"Lists",
       {"which proposals addressed sovereignty assurances?", "proposals that involve China or Russia", "list the proposals",
        "show all meetings in 2018", "give me the claims about the Singapore summit", "find proposals about peace",
        "Mele's claims about the Hanoi summit", "summits"},
       ""},
      {"Who",
       {"who met Kim Jong Un?", "who proposed sanctions relief?", "who testified before Congress?",
        "who attended both the Singapore summit and the Hanoi summit?"},
       ""},
      {"Passives", {"which meetings were held in Pyongyang?", "which proposals were made by Nicholas Mele?"}, ""},
      {"Objects", {"what did Nicholas Mele claim about the Hanoi summit?", "which meetings did Kim and Moon attend?"}, ""},
      {"Time",
       {"meetings in February 2019", "events on 12 June 2018", "meetings between 2018 and 2019",
        "meetings before the Singapore summit", "proposals made during the Hanoi summit",
        "which sources were published in 2019?"},
       ""},
      {"When, where",
       {"when was the Hanoi summit?", "when did Pompeo visit Pyongyang?", "where did Trump and Kim meet?",
        "where was the Singapore summit held?", "where is Hanoi?"},
       ""},
      {"Counting", {"how many claims did Mele make?", "how many times did Pompeo visit Pyongyang?"}, ":why shows what was counted"},
      {"Values", {"what is the outcome of the Hanoi summit?"}, ""},
      {"Descriptions",
       {"who is Moon Jae-in?", "what is the Pyongyang Joint Declaration?", "tell me about the armistice",
        "what is known about sanctions relief?", "what did Michael Cohen do?"},
       ""},
      {"Why", {"why did the Hanoi summit fail?", "why did the talks break down?"}, "the claims, by who makes them"},
      {"Disputes",
       {"which claims contradict Trump's account?", "which claims contradict each other?", "who disagrees with Trump?",
        "which sources support the North Korean account?"},
       ""},
      {"Yes or no", {"did Trump meet Moon Jae-in?", "was the Hanoi summit held in Vietnam?", "is China a state?"}, ""},
  };
  return forms;
}

}  // namespace parley::query::english
