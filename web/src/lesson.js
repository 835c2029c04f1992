// Render a lesson's math ($...$, $$...$$) with KaTeX, served from this site.
renderMathInElement(document.body, {
  delimiters: [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
    { left: "\\[", right: "\\]", display: true },
    { left: "\\(", right: "\\)", display: false },
  ],
  ignoredClasses: ["highlight", "output_text"],
  throwOnError: false,
});
