import { describeStorageConformance } from "@creatorsearch/test-utils/storage";
import { memoryStorage } from "../src/index.js";

const noStore = "memoryStorage keeps its rows inside the adapter: there is no store to read around it";

// One process, one map: the race checks run their concurrent calls on the same instance.
describeStorageConformance("memoryStorage", {
  open: (options) => ({ storage: memoryStorage(options) }),
  disable: {
    "jobs: createJob writes the job and its chains to the store": noStore,
    "claimStep: the lease is written to the store": noStore,
    "commitPage: creators are unique per job in the store": noStore,
    "commitPage: counters are recounted from stored rows, not added up": noStore,
  },
});
