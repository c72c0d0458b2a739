// The widget's source imports its stylesheet for Vite; type-checking it from here needs to know
// that a stylesheet import has no value.
declare module '*.css';
