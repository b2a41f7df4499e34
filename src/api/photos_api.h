// /api/v1/photos: uploading photos and reading them back, their thumbnails and their facts,
// for signed-in users allowed to see them (services::PhotoService::may_see).
#pragma once

#include "api/context.h"
#include "api/router.h"
#include "services/photos.h"

namespace cityops::api {

void add_photo_routes(Router& router, ApiContext& ctx, services::PhotoService& photos);
// POST /api/v1/reports: a report with its photos in one form, from the phone page
// (reports_api.cc).
void add_report_routes(Router& router, ApiContext& ctx, services::PhotoService& photos);

}  // namespace cityops::api
