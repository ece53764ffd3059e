import { memoryStorage } from "../src/index.js";
import { describeStorageContract } from "./storage-contract.js";

describeStorageContract("memoryStorage", () => memoryStorage());
