import{M as a}from"./plotly-core-ASNYCT5I.js";export{a as default};
