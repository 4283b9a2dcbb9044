// JSON for a std::variant of described types, as {"<name>": {...}}: the names are given
// once per variant, in the order of its alternatives.
#pragma once

#include <array>
#include <boost/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace praetor::variant_json {

template <class Variant, std::size_t N>
boost::json::value to_json(const Variant& v, const std::array<std::string_view, N>& names) {
  static_assert(std::variant_size_v<Variant> == N);
  boost::json::object o;
  std::visit([&](const auto& alt) { o[names[v.index()]] = boost::json::value_from(alt); }, v);
  return o;
}

template <class Variant, std::size_t I = 0>
Variant alternative_from(std::size_t index, const boost::json::value& body) {
  if constexpr (I < std::variant_size_v<Variant>) {
    if (index == I)
      return Variant{std::in_place_index<I>,
                     boost::json::value_to<std::variant_alternative_t<I, Variant>>(body)};
    return alternative_from<Variant, I + 1>(index, body);
  } else {
    throw std::invalid_argument("variant index out of range");
  }
}

template <class Variant, std::size_t N>
Variant from_json(const boost::json::value& v, const std::array<std::string_view, N>& names) {
  const auto& o = v.as_object();
  if (o.size() != 1) throw std::invalid_argument("expected an object with exactly one key");
  const auto& [key, body] = *o.begin();
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == key) return alternative_from<Variant>(i, body);
  throw std::invalid_argument("unknown message type '" + std::string(key) + "'");
}

}  // namespace praetor::variant_json
