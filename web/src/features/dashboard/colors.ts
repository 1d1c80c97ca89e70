/** The dashboard charts' colours: ECharts draws SVG with literal colours, not the stylesheet's custom properties (`primary` is its --c-primary). */
export const CHART_COLORS = {
  primary: '#0b5cad',
  green: '#2f9e44',
  greenDark: '#2b8a3e',
  greenLight: '#69db7c',
  orange: '#d9480f',
  amber: '#f08c00',
  red: '#c92a2a',
  gray: '#868e96',
  grayLight: '#adb5bd',
  violet: '#7048e8',
  teal: '#0c8599',
  pink: '#c2255c',
  olive: '#5c940d',
  white: '#fff',
} as const;
