import{a}from"./chunk-57PKP6FO.js";import"./chunk-VC46IEJQ.js";export{a as BrowserPerformanceMeasurement};
