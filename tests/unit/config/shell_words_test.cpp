// split_shell_words against what Python's shlex.split (Patroni's splitter) returns for the same
// text; every expectation below was checked with python3's shlex.
#include "config/shell_words.hpp"

#include <catch2/catch.hpp>

using praetor::config::quote_shell_words;
using praetor::config::split_shell_words;
using words = std::vector<std::string>;

namespace {

words split(std::string_view text) {
  auto r = split_shell_words(text);
  INFO("text: " << text << ", error: " << r.error);
  REQUIRE(r.ok());
  return r.words;
}

}  // namespace

TEST_CASE("blank text has no words", "[config][shell_words]") {
  CHECK(split("").empty());
  CHECK(split("   \t\r\n ").empty());
}

TEST_CASE("space, tab, CR and LF separate words, and a run counts once", "[config][shell_words]") {
  CHECK(split("/bin/cb.sh") == words{"/bin/cb.sh"});
  CHECK(split("  a   b\tc\nd\re  ") == words{"a", "b", "c", "d", "e"});
}

TEST_CASE("single quotes keep everything literal", "[config][shell_words]") {
  CHECK(split("a 'b c' d") == words{"a", "b c", "d"});
  CHECK(split(R"('a\b')") == words{R"(a\b)"});
  CHECK(split(R"('"x"')") == words{R"("x")"});
}

TEST_CASE("double quotes escape only the quote and the backslash", "[config][shell_words]") {
  CHECK(split(R"("a\"b")") == words{R"(a"b)"});
  CHECK(split(R"("a\\b")") == words{R"(a\b)"});
  CHECK(split(R"("a\xb")") == words{R"(a\xb)"});
  CHECK(split(R"("it's")") == words{"it's"});
}

TEST_CASE("a backslash outside quotes takes the next character", "[config][shell_words]") {
  CHECK(split(R"(a\ b)") == words{"a b"});
  CHECK(split(R"(a\\b)") == words{R"(a\b)"});
  CHECK(split(R"(a\'b)") == words{"a'b"});
  CHECK(split("a\\\nb") == words{"a\nb"});  // not a line continuation, unlike sh
}

TEST_CASE("adjacent quoted and bare parts form one word", "[config][shell_words]") {
  CHECK(split(R"(a"b c"d)") == words{"ab cd"});
  CHECK(split(R"(a'b'c"d"e)") == words{"abcde"});
  CHECK(split(R"('it'\''s')") == words{"it's"});
}

TEST_CASE("empty quotes are an empty word", "[config][shell_words]") {
  CHECK(split("a '' b") == words{"a", "", "b"});
  CHECK(split(R"("")") == words{""});
}

TEST_CASE("no shell: nothing is expanded and # is no comment", "[config][shell_words]") {
  CHECK(split(R"(x #y $HOME "$HOME `id`" ~ *.sh)") ==
        words{"x", "#y", "$HOME", "$HOME `id`", "~", "*.sh"});
  CHECK(split("ü 'ß'") == words{"ü", "ß"});
}

TEST_CASE("unclosed quotes and a trailing backslash are errors", "[config][shell_words]") {
  CHECK(split_shell_words("a 'b").error == "No closing quotation");
  CHECK(split_shell_words(R"(a "b)").error == "No closing quotation");
  CHECK(split_shell_words(R"(a\)").error == "No escaped character");
  CHECK(split_shell_words(R"("a\)").error == "No escaped character");
  CHECK(split_shell_words("a 'b").words.empty());
}

TEST_CASE("quoted words read back as the same words", "[config][shell_words]") {
  const words cases[] = {
      {"/usr/local/bin/cb.sh", "on_start", "master", "demo"},
      {"cb", "two words", "", "it's", R"(back\slash)", "$HOME", "a\"b", "tab\there", "ü"},
  };
  for (const auto& w : cases) CHECK(split(quote_shell_words(w)) == w);
  CHECK(quote_shell_words({"/bin/cb.sh", "on_start", "a b", "it's", ""}) ==
        R"(/bin/cb.sh on_start 'a b' 'it'\''s' '')");
}
