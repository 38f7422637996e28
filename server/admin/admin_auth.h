// Admin authentication: `Authorization: Bearer <token>` against
// server.admin_token (or VIGIE_ADMIN_TOKEN). No token configured means the
// admin API is disabled: every call is refused. The comparison takes the
// same time whatever the first differing byte, so the token cannot be
// guessed byte by byte from response times. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace vigie::http {

// Equal strings, in time that depends only on the lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

// True when `authorization` (the header value, possibly empty) carries the
// configured token. Always false when `configured` is empty.
bool admin_authorized(std::string_view authorization, const std::string& configured);

}  // namespace vigie::http
