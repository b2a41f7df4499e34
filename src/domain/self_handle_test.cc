// 自处置: the grid worker who reported a case on patrol handles it on the spot, and an
// inspector's pass closes it.
#include <gtest/gtest.h>

#include "domain/self_handling.h"
#include "domain/workflow.h"
#include "support/workflow_cases.h"

namespace cityops {
namespace {

using namespace workflow_testing;

TEST(SelfHandle, TheReportingWorkerHandlesThenAnInspectorCloses) {
  CaseRun run(kReported);
  const Timestamp now = kReported + hours(1);
  run.act(Action::kSelfHandle, Role::kGridWorker, now);
  EXPECT_EQ(run.c().state, CaseState::kHandled);
  EXPECT_EQ(run.c().handling_photos, std::vector<std::string>{"after.jpg"});
  EXPECT_EQ(run.c().step, Step::kVerify);
  EXPECT_EQ(run.events().back().attachments, std::vector<std::string>{"after.jpg"});
  run.act(Action::kVerify, Role::kInspector, now + hours(1));
  EXPECT_EQ(run.c().state, CaseState::kClosed);
}

TEST(SelfHandle, Refusals) {
  CaseRun run(kReported);
  const Timestamp now = kReported + hours(1);
  struct Row {
    const char* label;
    std::function<void(ActionRequest&, Principal&, WorkflowContext&)> change;
    ErrorKind kind;
    const char* code;
  };
  const std::vector<Row> rows = {
      {"category not on the list",
       [](ActionRequest&, Principal&, WorkflowContext& c) { c.self_handling_allowed = false; },
       ErrorKind::kConflict, "self_handling_not_allowed"},
      {"another worker", [](ActionRequest&, Principal& p, WorkflowContext&) { p.username = "w2"; },
       ErrorKind::kPermissionDenied, "not_reporting_worker"},
      {"no after photos", [](ActionRequest& r, Principal&, WorkflowContext&) { r.photos.clear(); },
       ErrorKind::kInvalidArgument, "missing_photos"},
      {"no note", [](ActionRequest& r, Principal&, WorkflowContext&) { r.note = " "; },
       ErrorKind::kInvalidArgument, "missing_note"},
      {"an inspector",
       [](ActionRequest&, Principal& p, WorkflowContext&) { p.role = Role::kInspector; },
       ErrorKind::kPermissionDenied, "forbidden_role"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.label);
    auto request = run.request(Action::kSelfHandle, now);
    Principal actor = principal(Role::kGridWorker);
    WorkflowContext context = run.context(now);
    row.change(request, actor, context);
    const auto result = decide(run.c(), request, actor, context);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.status().kind(), row.kind);
    EXPECT_EQ(result.status().code(), row.code);
  }
}

TEST(SelfHandle, NotOnceTheCentreRegisteredTheCase) {
  CaseRun run(kReported);
  run.act(Action::kRegister, Role::kShiftLead, kReported + hours(1));
  const auto result = run.try_act(run.request(Action::kSelfHandle, kReported + hours(2)),
                                  principal(Role::kGridWorker), kReported + hours(2));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.status().code(), "invalid_state");
}

TEST(SelfHandlingList, NamesCategoriesOfTheTaxonomy) {
  const Taxonomy taxonomy({test_category()});
  const auto list =
      SelfHandlingList::parse("# minor matters\nkind,code,name\nmatter,99001,x\n", taxonomy);
  ASSERT_TRUE(list) << list.status().message();
  EXPECT_EQ(list->size(), 1u);
  EXPECT_TRUE(list->allows(test_category()));
  Category component = test_category();
  component.kind = CategoryKind::kComponent;
  EXPECT_FALSE(list->allows(component));

  EXPECT_EQ(SelfHandlingList::parse("kind,code,name\nmatter,99002,x\n", taxonomy).status().code(),
            "unknown_category");
  EXPECT_EQ(SelfHandlingList::parse("kind,code,name\nthing,99001,x\n", taxonomy).status().code(),
            "unknown_kind");
}

}  // namespace
}  // namespace cityops
