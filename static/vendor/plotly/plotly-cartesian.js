//# allFunctionsCalledOnLoad
import{M as a}from"./plotly-core-OKELVQ27.js";export{a as default};
