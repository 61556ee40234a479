/**
 * `WWW-Authenticate` challenges (RFC 9110 section 11.6.1): one or more `scheme param=value, ...`
 * with quoted-string values, so a scope such as `repository:a:pull,push` keeps its comma.
 */
export interface Challenge {
  /** Lower-cased scheme: `bearer`, `basic`. */
  scheme: string
  /** Parameters by lower-cased name. */
  params: Record<string, string>
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y
const SPACE = /[ \t]*/y
const QUOTED = /"((?:[^"\\]|\\.)*)"/y
// RFC 9110 wants a token here; some servers send an unquoted URL, so read up to the next separator.
const BARE_VALUE = /[^\s,]+/y

function match(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at
  return re.exec(text)
}

export function parseChallenges(header: string | undefined): Challenge[] {
  const text = header ?? ''
  const challenges: Challenge[] = []
  let at = 0
  while (at < text.length) {
    if (/[\s,]/.test(text[at]!)) {
      at++
      continue
    }
    const token = match(TOKEN, text, at)
    if (!token) break // not a header we can read further; keep what was parsed
    at += token[0].length
    const afterSpace = at + match(SPACE, text, at)![0].length
    if (text[afterSpace] !== '=' || challenges.length === 0) {
      challenges.push({ scheme: token[0].toLowerCase(), params: {} })
      continue
    }
    at = afterSpace + 1
    at += match(SPACE, text, at)![0].length
    const quoted = match(QUOTED, text, at)
    const bare = quoted ? null : match(BARE_VALUE, text, at)
    const value = quoted ? quoted[1]!.replace(/\\(.)/g, '$1') : (bare?.[0] ?? '')
    at += (quoted ?? bare)?.[0].length ?? 0
    challenges.at(-1)!.params[token[0].toLowerCase()] = value
  }
  return challenges
}

/** The Bearer challenge among `header`'s challenges, if any. */
export function bearerChallenge(header: string | undefined): Challenge | undefined {
  return parseChallenges(header).find((c) => c.scheme === 'bearer')
}
