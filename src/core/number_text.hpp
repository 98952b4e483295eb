// Numbers as people write them: 0.1, 1.308, 30, 1e+21. Every double Corral shows (JSON replies,
// stored JSON text, error messages, logs, metrics, the CLI) is written by this one function.
//
// The digits are the shortest decimal that reads back as the same double (std::to_chars), so
// nothing is lost and nothing is invented (1.308405313, not 1.30841 or 1.30840531299999998).
// They are laid out as JavaScript's Number.prototype.toString lays them out, the form most JSON
// readers and writers share: plain decimals from 1e-7 up to 1e21 ("0.000001", "123456789012"),
// exponent form outside that range ("1e-7", "1.5e+300"). Whole numbers have no fraction ("30",
// not "30.0"), as Corral has always written them.
//
// Rejected: Boost.JSON's serializer (1.81) writes every double in exponent form, 0.1 as 1E-1 and
// 1.308 as 1.308E0; plain to_chars picks whichever form is shorter, so 100000 would be 1e+05;
// printf's %g and iostreams round to 6 significant digits.
#pragma once

#include <string>

namespace corral::core {

// Appends `d` as above. NaN and the infinities, which JSON cannot hold, are written as
// Prometheus reads them: "NaN", "+Inf", "-Inf". Negative zero is "0".
void append_number(std::string& out, double d);
std::string format_number(double d);

}  // namespace corral::core
