/**
 * The example request bodies of the API document the project was started from, verbatim (keys in
 * the cases it used), served as named examples on their routes in the OpenAPI document. A test
 * keeps them equal to the seed fixtures the codec tests decode.
 */

export * from './seed-service-examples.js'
export * from './seed-other-examples.js'
