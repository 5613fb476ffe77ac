import { cardBookId } from "/work/wt/cards22/shared/models/character-card.ts";
for (const n of ["Carmilla","Zoë Ångström","セラフィナ","ガブリエル","Серафима Йова","🐉🔥","  ", "Dr. Jekyll & Mr. Hyde"]) console.log(JSON.stringify(n), cardBookId(n));
