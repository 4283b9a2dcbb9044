// measured(): wraps a message handler so that every call is timed and recorded in an
// actor_meter, keeping the handler's exact signature (parameter types, `const T&`, `T` or
// `T&`, and result type: void, T, caf::result<T>, ...). CAF 0.17 typed actors match handlers
// by their concrete signature, so the wrapper is a lambda with the same one, not a generic
// lambda:
//
//   return {
//       measured(self->state.meter, [=](const pg_status& pg) { run(self, pg); }),
//       measured(self->state.meter, [=](const write_failover& m) -> dcs_result { ... }),
//       measured(self->state.meter, "tick", [=](tick_atom) { ... }),
//   };
//
// The type is named after the handler's first parameter without its namespaces
// (praetor::pg_status -> "pg_status"), or given. It is registered in the meter when the
// wrapper is made, so that /metrics lists it (count 0) before the first message; recording
// then costs two clock reads and a few additions.
//
// What is timed: the handler's own call. A handler that answers later (a response promise,
// a request's continuation) is timed until it returns, not until the answer goes out. A
// handler that throws is recorded too.
//
// The meter must outlive the wrapper: keep it in the actor's state, where it lives as long as
// the behaviour. Only the actor's own thread calls the wrapper.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "actors/actor_meter/actor_meter.hpp"

namespace praetor {

// The name of a message type for the `type` label: the C++ name without its namespaces
// ("praetor::rest_call" -> "rest_call"; template arguments are kept as they are).
std::string message_type_name(const std::type_info& type);

// Records the time from its construction to its destruction in `meter` under `slot`.
class handling_timer {
 public:
  handling_timer(actor_meter& meter, actor_meter::type_slot slot)
      : meter_(meter), slot_(slot), start_(std::chrono::steady_clock::now()) {}
  ~handling_timer() { meter_.record(slot_, std::chrono::steady_clock::now() - start_); }
  handling_timer(const handling_timer&) = delete;
  handling_timer& operator=(const handling_timer&) = delete;

 private:
  actor_meter& meter_;
  actor_meter::type_slot slot_;
  std::chrono::steady_clock::time_point start_;
};

namespace measured_detail {

// A handler's signature as a plain function type R(Ts...).
template <class MemberFunction>
struct signature_of_member;
template <class C, class R, class... Ts>
struct signature_of_member<R (C::*)(Ts...)> : std::type_identity<R(Ts...)> {};
template <class C, class R, class... Ts>
struct signature_of_member<R (C::*)(Ts...) const> : std::type_identity<R(Ts...)> {};
template <class C, class R, class... Ts>
struct signature_of_member<R (C::*)(Ts...) noexcept> : std::type_identity<R(Ts...)> {};
template <class C, class R, class... Ts>
struct signature_of_member<R (C::*)(Ts...) const noexcept> : std::type_identity<R(Ts...)> {};

// Lambdas and other function objects with one (non-template) call operator.
template <class F>
struct signature : signature_of_member<decltype(&F::operator())> {};
template <class R, class... Ts>
struct signature<R (*)(Ts...)> : std::type_identity<R(Ts...)> {};

template <class Sig>
struct first_parameter;
template <class R, class T, class... Ts>
struct first_parameter<R(T, Ts...)> : std::type_identity<std::remove_cvref_t<T>> {};

template <class F, class R, class... Ts>
auto wrap(actor_meter& meter, actor_meter::type_slot slot, F f, std::type_identity<R(Ts...)>) {
  return [meter = &meter, slot, f = std::move(f)](Ts... xs) mutable -> R {
    const handling_timer timer(*meter, slot);
    return f(std::forward<Ts>(xs)...);
  };
}

}  // namespace measured_detail

// `handler`, timed under the message type `type`.
template <class F>
auto measured(actor_meter& meter, std::string_view type, F handler) {
  using sig = typename measured_detail::signature<std::decay_t<F>>::type;
  return measured_detail::wrap(meter, meter.slot(type), std::move(handler),
                               std::type_identity<sig>{});
}

// `handler`, timed under the name of its first parameter's type.
// REQUIRES: the handler takes at least one parameter.
template <class F>
auto measured(actor_meter& meter, F handler) {
  using sig = typename measured_detail::signature<std::decay_t<F>>::type;
  using message = typename measured_detail::first_parameter<sig>::type;
  return measured(meter, message_type_name(typeid(message)), std::move(handler));
}

}  // namespace praetor
