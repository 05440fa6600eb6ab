export interface CaughtMail {
    id: number;
    /** The SMTP envelope's recipients, which is where the mail really went. */
    to: string[];
    from: string;
    subject: string;
    text: string;
    html: string;
    receivedAt: string;
}
export interface MailCatcherOptions {
    host?: string;
    /** 0 picks a free port. */
    smtpPort?: number;
    httpPort?: number;
    keep?: number;
}
export declare function startMailCatcher(opts?: MailCatcherOptions): Promise<{
    smtpUrl: string;
    webUrl: string;
    mails: () => CaughtMail[];
    /** The first mail (already caught or still to come) that matches. */
    waitFor(match: (m: CaughtMail) => boolean): Promise<CaughtMail>;
    stop(): Promise<void>;
}>;
export type MailCatcher = Awaited<ReturnType<typeof startMailCatcher>>;
//# sourceMappingURL=mail-catcher.d.ts.map