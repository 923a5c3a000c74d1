/** Series colours shared by every chart (canvas and SVG); each has at least 3:1 contrast on white. */
export const SERIES_COLORS = ['#2f55c9', '#d9480f', '#2b8a3e', '#ae3ec9', '#0b7285', '#c92a2a'];
