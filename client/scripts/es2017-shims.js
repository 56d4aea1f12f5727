// Stand-ins the mini-program build puts in place of built-ins newer than ES2017 that its dependencies call
// (esbuild `define` + `inject` in scripts/build.mjs): the dist gets these functions instead, and no global of the
// mini-program is touched. client/test/miniapp.test.js runs the dist where those built-ins do not exist.

/** Object.hasOwn (ES2022), called by @noble/hashes when its hashers are made, i.e. as the file loads. */
export function objectHasOwn(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}
