// ml-knn ships no type declarations: the part of its API this app uses.
declare module 'ml-knn' {
  /** k-nearest-neighbours over a k-d tree (CommonJS: `module.exports = KNN`). */
  export default class KNN {
    constructor(dataset: number[][], labels: number[], options?: { k?: number })
    /** The tree; each stored point is the feature vector with its label appended. */
    readonly kdTree: {
      nearest(point: number[], maxNodes: number): [point: number[], distance: number][]
    }
    readonly k: number
    predict(dataset: number[][]): number[]
  }
}
