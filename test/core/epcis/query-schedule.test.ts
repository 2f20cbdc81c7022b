import { expect } from "chai";
import { readQuerySchedule, scheduleFiredBetween, scheduleTest } from "../../../src/core/epcis/query-schedule";
import { ValidationError } from "../../../src/core/errors";

const at = (iso: string) => Date.parse(iso) / 1000;

describe("core/epcis query schedules", () => {
  it("fires in the seconds its fields name, a field left out matching any value", () => {
    const cases: [Record<string, string>, string, boolean][] = [
      [{ hour: "1", minute: "5" }, "2026-12-01T01:05:00Z", true],
      [{ hour: "1", minute: "5" }, "2026-12-01T01:05:01Z", false],
      [{ hour: "1", minute: "5" }, "2026-12-01T02:05:00Z", false],
      [{ minute: "0,30" }, "2026-12-01T13:30:00Z", true],
      [{ minute: "0,30" }, "2026-12-01T13:31:00Z", false],
      [{ second: "10-12" }, "2026-12-01T13:31:11Z", true],
      [{ second: "10-12" }, "2026-12-01T13:31:13Z", false],
      // 2026-12-01 is a Tuesday: day 2
      [{ dayOfWeek: "2", hour: "0", minute: "0" }, "2026-12-01T00:00:00Z", true],
      [{ dayOfWeek: "1", hour: "0", minute: "0" }, "2026-12-01T00:00:00Z", false],
      [{ dayOfMonth: "1", month: "12", hour: "0", minute: "0" }, "2026-12-01T00:00:00Z", true],
    ];
    for (const [schedule, time, fires] of cases)
      expect(scheduleTest(readQuerySchedule(schedule))(at(time)), `${JSON.stringify(schedule)} at ${time}`).to.equal(
        fires,
      );
  });

  it("finds a firing between two looks, however far apart (up to a day)", () => {
    const s = readQuerySchedule({ hour: "1", minute: "5" });
    expect(scheduleFiredBetween(s, at("2026-12-01T01:04:58Z"), at("2026-12-01T01:05:03Z"))).to.equal(true);
    expect(scheduleFiredBetween(s, at("2026-12-01T01:05:00Z"), at("2026-12-01T01:05:03Z")), "already run").to.equal(
      false,
    );
  });

  it("refuses what is not a schedule, naming the field", () => {
    const cases: [unknown, string][] = [
      [[], "schedule"],
      [{ hour: "24" }, "schedule.hour"],
      [{ minute: "5-1" }, "schedule.minute"],
      [{ minute: "*" }, "schedule.minute"],
      [{ fortnight: "1" }, "schedule.fortnight"],
      [{ second: { a: 1 } }, "schedule.second"],
    ];
    for (const [value, field] of cases)
      expect(() => readQuerySchedule(value), JSON.stringify(value))
        .to.throw(ValidationError)
        .with.property("field", field);
  });
});
