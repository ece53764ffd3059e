// `express-v4` is an alias of express@4 (see package.json) for the peer-range matrix; its API is
// typed as the one of @types/express, which both majors' used surface matches.
declare module "express-v4" {
  import express from "express";
  export default express;
}
