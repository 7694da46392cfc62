// query/grammar/terms.cpp: IRIs, prefixed names, variables, literals, blank nodes and
// the prologue. The lexical rules live only here.
#include "query/grammar/grammar.hpp"

namespace parley::query::grammar {
namespace {

using x3::char_;
using x3::lexeme;
using x3::lit;
using x3::raw;

const auto utf8_byte = kUtf8Byte;
const auto pn_chars_base = kAsciiAlpha | utf8_byte;
const auto pn_chars_u = pn_chars_base | char_('_');
const auto pn_chars = pn_chars_u | char_('-') | kAsciiDigit;
// '-' goes last in char_ sets: elsewhere it would make a range.
const auto plx = (char_('%') >> kAsciiXdigit >> kAsciiXdigit) | (char_('\\') >> char_("_~.!$&'()*+,;=/?#@%-"));
const auto pn_prefix = pn_chars_base >> *(pn_chars | (char_('.') >> &(pn_chars | '.')));
const auto pname_ns = -pn_prefix >> ':';
const auto pn_local = (pn_chars_u | char_(':') | kAsciiDigit | plx) >>
                      *(pn_chars | char_(':') | plx | (char_('.') >> &(pn_chars | char_(":.%\\"))));

const x3::rule<struct iriref_class, std::string> iriref = "IRI";
const auto iriref_def = lexeme['<' >> *(char_ - char_("<>\"{}|^`\\") - char_('\0', ' ')) >> '>'];
const x3::rule<struct prefixed_name_class, std::string> prefixed_name = "prefixed name";
const auto prefixed_name_def = lexeme[raw[pname_ns >> -pn_local]];
const x3::rule<struct pname_ns_token_class, std::string> pname_ns_token = "prefix name";
const auto pname_ns_token_def = lexeme[raw[pname_ns]];
const x3::rule<struct var_name_class, std::string> var_name = "variable";
// raw[] covers whole tokens (sigils included, stripped in the actions): a literal
// followed by raw[] would make X3 parse into the string as a container.
const auto var_name_def = lexeme[raw[(lit('?') | '$') >> +(pn_chars_u | kAsciiDigit)]];
const x3::rule<struct blank_label_class, std::string> blank_label = "blank node";
const auto blank_label_def = lexeme[raw["_:" >> (pn_chars_u | kAsciiDigit) >> *(pn_chars | (char_('.') >> &pn_chars))]];
const x3::rule<struct langtag_class, std::string> langtag = "language tag";
const auto langtag_def = lexeme[raw['@' >> +kAsciiAlpha >> *('-' >> +kAsciiAlnum)]];

const auto echar = char_('\\') >> char_("tbnrf\"'\\");
const x3::rule<struct string_token_class, std::string> string_token = "string";
const auto string_token_def = lexeme[raw[
    ("'''" >> *(-(lit("''") | '\'') >> (echar | (char_ - char_("'\\")))) >> "'''") |
    ("\"\"\"" >> *(-(lit("\"\"") | '"') >> (echar | (char_ - char_("\"\\")))) >> "\"\"\"") |
    ('\'' >> *(echar | (char_ - char_("'\\\n\r"))) >> '\'') |
    ('"' >> *(echar | (char_ - char_("\"\\\n\r"))) >> '"')]];

const auto exponent = char_("eE") >> -char_("+-") >> +kAsciiDigit;
const x3::rule<struct number_token_class, std::string> number_token = "number";
const auto number_token_def = lexeme[raw[(+kAsciiDigit >> '.' >> *kAsciiDigit >> exponent) | ('.' >> +kAsciiDigit >> exponent) |
                                         (+kAsciiDigit >> exponent) | (*kAsciiDigit >> '.' >> +kAsciiDigit) | +kAsciiDigit]];
const x3::rule<struct signed_number_class, std::string> signed_number = "number";
const auto signed_number_def = lexeme[raw[char_("+-") >> number_token]];

const auto push_iri = Do([](Builder& b, auto& ctx) { b.PushIri(x3::_attr(ctx)); });
const auto push_prefixed = [](auto& ctx) {
  Builder& b = GetBuilder(ctx);
  if (!b.PushPrefixed(x3::_attr(ctx))) {
    b.error_offset = static_cast<std::size_t>(x3::_where(ctx).begin() - b.text_begin);
    x3::_pass(ctx) = false;
  }
};
const auto push_number = Do([](Builder& b, auto& ctx) { b.PushNumber(x3::_attr(ctx)); });

}  // namespace

const var_term_type var_term = "variable";
const iri_term_type iri_term = "IRI";
const var_or_iri_type var_or_iri = "variable or IRI";
const var_or_term_type var_or_term = "variable or term";
const rdf_literal_type rdf_literal = "literal";
const numeric_unsigned_type numeric_unsigned = "number";
const boolean_literal_type boolean_literal = "boolean";
const data_block_value_type data_block_value = "value";
const prologue_type prologue = "prologue";

// Token rules carry their text as an attribute; once an action has used it, omit[]
// keeps it out of the enclosing rules (which are all attribute-free).
const auto var_term_def = x3::omit[var_name[Do([](Builder& b, auto& ctx) { b.PushVar(x3::_attr(ctx).substr(1)); })]];
const auto iri_term_def = x3::omit[iriref[push_iri]] | x3::omit[prefixed_name[push_prefixed]];
const auto var_or_iri_def = var_term | iri_term;
const auto rdf_literal_def = x3::omit[string_token[Do([](Builder& b, auto& ctx) { b.PushString(x3::_attr(ctx)); })]] >>
                             -(x3::omit[langtag[Do([](Builder& b, auto& ctx) { b.SetLanguage(x3::_attr(ctx).substr(1)); })]] |
                               (lit("^^") > iri_term)[Do([](Builder& b, auto&) { b.SetDatatypeFromTop(); })]);
const auto numeric_unsigned_def = x3::omit[number_token[push_number]];
const auto boolean_literal_def = Kw("true")[Do([](Builder& b, auto&) { b.PushBoolean(true); })] |
                                 Kw("false")[Do([](Builder& b, auto&) { b.PushBoolean(false); })];
const auto blank_node = x3::omit[blank_label[Do([](Builder& b, auto& ctx) { b.PushBlank(x3::_attr(ctx).substr(2)); })]] |
                        (lit('[') >> ']')[Do([](Builder& b, auto&) { b.PushAnon(); })];
const auto nil = (lit('(') >> ')')[Do([](Builder& b, auto&) {
  b.PushTermOf(Term::Iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"));
})];
const auto graph_term = rdf_literal | x3::omit[signed_number[push_number]] | numeric_unsigned | boolean_literal | iri_term |
                        blank_node | nil;
const auto var_or_term_def = var_term | graph_term;
const auto data_block_value_def =
    iri_term | rdf_literal | x3::omit[signed_number[push_number]] | numeric_unsigned | boolean_literal;

const auto base_decl = Kw("BASE") > x3::omit[iriref[Do([](Builder& b, auto& ctx) { b.SetBase(x3::_attr(ctx)); })]];
const auto prefix_decl = Kw("PREFIX") > x3::omit[(pname_ns_token > iriref)[Do([](Builder& b, auto& ctx) {
                           const std::string& prefix = boost::fusion::at_c<0>(x3::_attr(ctx));
                           b.AddPrefix(prefix.substr(0, prefix.size() - 1), boost::fusion::at_c<1>(x3::_attr(ctx)));
                         })]];
const auto prologue_def = *(base_decl | prefix_decl);

BOOST_SPIRIT_DEFINE(iriref, prefixed_name, pname_ns_token, var_name, blank_label, langtag, string_token, number_token,
                    signed_number)
BOOST_SPIRIT_DEFINE(var_term, iri_term, var_or_iri, var_or_term, rdf_literal, numeric_unsigned, boolean_literal,
                    data_block_value, prologue)

BOOST_SPIRIT_INSTANTIATE(var_term_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(iri_term_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(var_or_iri_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(var_or_term_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(rdf_literal_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(numeric_unsigned_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(boolean_literal_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(data_block_value_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(prologue_type, iterator_type, context_type)

// The skipper: whitespace and comments.
const skipper_type skipper = "whitespace";
const auto skipper_def = kAsciiSpace | (lit('#') >> *(char_ - x3::eol) >> (x3::eol | x3::eoi));
BOOST_SPIRIT_DEFINE(skipper)
BOOST_SPIRIT_INSTANTIATE(skipper_type, iterator_type, skipper_context_type)
const skipper_type& Skipper() { return skipper; }

}  // namespace parley::query::grammar
