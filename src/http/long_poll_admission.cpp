#include "http/long_poll_admission.hpp"

#include <string>

namespace corral::http {

LongPollAdmission::LongPollAdmission(Context const& ctx, core::Micros& wait) {
  if (wait.count() <= 0 || ctx.admission == nullptr) return;
  auto& gate = ctx.admission->long_polls;
  max_ = gate.max();
  pass_ = gate.try_enter();
  if (pass_) return;
  refused_ = true;
  wait = core::Micros(0);
}

core::Error LongPollAdmission::error() const {
  return core::make_error(core::Errc::too_many_long_polls,
                          std::to_string(max_) + " long-polls are already waiting (max_long_polls); retry later");
}

}  // namespace corral::http
