// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.
#pragma once

#include <string_view>

namespace cityops::api {

std::string_view openapi_document();

}  // namespace cityops::api
