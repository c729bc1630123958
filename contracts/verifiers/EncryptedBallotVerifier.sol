// GENERATED from zk/artifacts/encrypted16/verification_key.json by veche.chain.verifier_source; DEV-ONLY keys; do not edit.
// Key sha256 e88a03aeec04de79eefbf06d93fc65564726757172b948437c7be925b42a07c9; see that folder's README: never for a real election.
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The Groth16 verifier of the Veche ballot circuit: one proof, or a batch at once.
/// @notice A proof `(A, B, C)` with public signals `s` is valid when
/// `e(-A, B) e(alpha, beta) e(vk_x, gamma) e(C, delta) = 1`, `vk_x = IC0 + sum_j s_j IC_j`.
/// A batch is checked with one pairing product over a random linear combination: proof `i` is
/// weighted by `r_i` (`r_0 = 1`; the others are hashes of the whole batch and `i`, so whoever
/// submits the batch cannot choose them), which gives `n + 3` pairs instead of `4 n`:
/// `prod_i e(-r_i A_i, B_i) * e(R alpha, beta) * e(R IC0 + sum_j t_j IC_j, gamma) *
/// e(sum_i r_i C_i, delta) = 1` with `R = sum_i r_i` and `t_j = sum_i r_i s_ij`. If any proof
/// is invalid the product differs from 1 except with probability about 2^-254 per batch tried.
/// @dev Every public signal must be below the scalar field order (else `s` and `s + r` would
/// pass the same proof) and every coordinate below the base field order; the precompiles
/// refuse points off the curve and G2 points outside the subgroup, which makes the check false.
contract EncryptedBallotVerifier {
    /// @notice Words per proof in `verifyBatch`: the packed proof (8) then its 39 public signals.
    uint256 public constant WORDS_PER_PROOF = 47;

    /// @dev The BN254 scalar field order.
    uint256 private constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @dev The BN254 base field order.
    uint256 private constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    // The verification key. G2 coordinates are given imaginary part first, as the pairing
    // precompile (EIP-197) takes them.
    uint256 private constant ALPHA_X = 4241937071613182043253640862684906452586666295789074847356826116456044999678;
    uint256 private constant ALPHA_Y = 5939067458936933387197394778397656232883360665064613801366716431494436496755;
    uint256 private constant BETA_X_IM = 15714637863000580827091077933331637221710986573404493364275648729168559873213;
    uint256 private constant BETA_X_RE = 12421390397882493548002721269673000765240247909441447899999003686929510545894;
    uint256 private constant BETA_Y_IM = 6023349726690999693526328024217802996489982662735782423993682338940769381131;
    uint256 private constant BETA_Y_RE = 2825102349062211409314261087809481793684281534211927834492517613707528387824;
    uint256 private constant GAMMA_X_IM = 11559732032986387107991004021392285783925812861821192530917403151452391805634;
    uint256 private constant GAMMA_X_RE = 10857046999023057135944570762232829481370756359578518086990519993285655852781;
    uint256 private constant GAMMA_Y_IM = 4082367875863433681332203403145435568316851327593401208105741076214120093531;
    uint256 private constant GAMMA_Y_RE = 8495653923123431417604973247489272438418190587263600148770280649306958101930;
    uint256 private constant DELTA_X_IM = 9200251525488041017063362134310812470712872237182885524598901701897100653258;
    uint256 private constant DELTA_X_RE = 17254639176072582676692171160888331284247761505499512350701052083307687417300;
    uint256 private constant DELTA_Y_IM = 810886095137220299967775630756831763403932935370736278086618525298769159756;
    uint256 private constant DELTA_Y_RE = 17761778472376989876389655538358932491779910875846066973549499479128770855237;
    uint256 private constant IC0_X = 9111196537887916976738083596011248467351684252717501164101703887447693086390;
    uint256 private constant IC0_Y = 1816908086683008356511380811950762641822157379725493678360197661175049208633;
    uint256 private constant IC1_X = 16805679732863739162410244295875859906630066213861066327481094412923065162894;
    uint256 private constant IC1_Y = 1813688586832507264400770219107359429359582925269440236977340888158754960020;
    uint256 private constant IC2_X = 20769443910692659750498701344740700694756756832606527196574494863371668953735;
    uint256 private constant IC2_Y = 18798886686538629965741629782670480387454099480846566616189049577725075820883;
    uint256 private constant IC3_X = 17870960942858988351333255641664183452950436356591829903189266090743481066253;
    uint256 private constant IC3_Y = 3256592195137327502109840643119920705588262033293547332503392142445519964993;
    uint256 private constant IC4_X = 19971849598434924704165170746702798650739524796600520157818673209017320221775;
    uint256 private constant IC4_Y = 15734216806788861596081955892280051719532083611953798287190464518524164743343;
    uint256 private constant IC5_X = 4000578346541514415718139273958896803554571331922325351232086852727619674812;
    uint256 private constant IC5_Y = 20543962816599060962426413165629068210284428015652707844603948279654314172912;
    uint256 private constant IC6_X = 16518202164106870014114432358974217105678030656920887290699145412916284909445;
    uint256 private constant IC6_Y = 585108220015153848319793778050475742827708335444664465724111063108422238908;
    uint256 private constant IC7_X = 7785179521947291571756918249975231478104413731635773367998957814802002375929;
    uint256 private constant IC7_Y = 6018145444812701233129296523959541695013032148286726734053227209482284510791;
    uint256 private constant IC8_X = 6255498850615418148035418050793814644572564505462495845407964613117737006890;
    uint256 private constant IC8_Y = 20163382836472591170863619186915546934488509930093752529805668792650586639611;
    uint256 private constant IC9_X = 10263689312552809629848402892873317466825878461148433192200521813875955612276;
    uint256 private constant IC9_Y = 17774306048826436981998325344978141777531555622899252293704670822102158062441;
    uint256 private constant IC10_X = 341174159704729922138697641145791251881288194934792757543698163314189334810;
    uint256 private constant IC10_Y = 19443270877920085471438544229616819964066978550066191894109181892070090060171;
    uint256 private constant IC11_X = 13857131880252645650012595101967705714232709180404632887054938928031097495226;
    uint256 private constant IC11_Y = 20327894047592691983717257152718364413356161630917982811465951105748371029428;
    uint256 private constant IC12_X = 13982794341836207067480612221926332281798405022581055779399612214374478984605;
    uint256 private constant IC12_Y = 12095816194874833754733641190176458412123472849447396613921594645678815445965;
    uint256 private constant IC13_X = 19068601276185027018711234513155694639170171906986371080657654810026970682103;
    uint256 private constant IC13_Y = 1922975322445785582902226685962479573143530345110932981992805048256414685868;
    uint256 private constant IC14_X = 4537133431043457427519597862597786516577976529521067355189920738366972945682;
    uint256 private constant IC14_Y = 5810702018120522579775533964163739263887853049654827584802461077515006031652;
    uint256 private constant IC15_X = 10022407488458691894097030194798778065684194284313498169455756258001356203372;
    uint256 private constant IC15_Y = 10823389993567890815141689237578290361845272820253894180475405987389785025882;
    uint256 private constant IC16_X = 18977893893971481056422251423359358125388569033168393101410877913120541146467;
    uint256 private constant IC16_Y = 6050044786134121420972751495568507629620800092875549011346832027945892953276;
    uint256 private constant IC17_X = 21518777450284173505030743466841966639840382607311202669536201881097315826882;
    uint256 private constant IC17_Y = 18331695112755895301548415786243548384231014718214294477818546348979618379636;
    uint256 private constant IC18_X = 4043111461944129026450026698444851022503783292020907196338838284848096487274;
    uint256 private constant IC18_Y = 14881721169686708339062381397257979923466246957312925986148539971198962146300;
    uint256 private constant IC19_X = 6632219907679738152493628904167108045428472865352812276530835157052820247354;
    uint256 private constant IC19_Y = 17386574459353688119826675836349375440375955902689743888041536746194189726800;
    uint256 private constant IC20_X = 4220710158961807741273201741836797214185892267945923740829998448241343018651;
    uint256 private constant IC20_Y = 13031393047630954985257689974681304214404938575240504268934569506957578429492;
    uint256 private constant IC21_X = 16017614008663853329330254932615556688355142982920353764737762641935441968066;
    uint256 private constant IC21_Y = 5905815104001123237397087372694028051349216716382335597209477094777341499562;
    uint256 private constant IC22_X = 9724472665172503231859574831699552447117510039783192025292981208443866711455;
    uint256 private constant IC22_Y = 10311249581784294335276877676649653537551980325229099186393628443710936034183;
    uint256 private constant IC23_X = 14711764737303146904450309193975781935593221575646091594775976692812750235321;
    uint256 private constant IC23_Y = 15633401382250395929892215923919370605458574945536557877583601479727505677675;
    uint256 private constant IC24_X = 2817630859891392093806890465410083269275759099887238632036232061335478442963;
    uint256 private constant IC24_Y = 17058113753700728556408303712414058924704753392361362309072919402278006341269;
    uint256 private constant IC25_X = 15187152623781511649008630697017526777552753862440943635647213880605905795165;
    uint256 private constant IC25_Y = 12506063083708923900595104191039175565588975236728441774568037759073112610479;
    uint256 private constant IC26_X = 15382328739798635709209791987008829405207879637578479346249798028543752938936;
    uint256 private constant IC26_Y = 401945073108679906184777162887107337449276582629599807209513040911876544418;
    uint256 private constant IC27_X = 390225462339289128236395021594939538631244907058939743589204030286062649605;
    uint256 private constant IC27_Y = 3386987356582525973800132171036046232500573327515268094343958132474934362089;
    uint256 private constant IC28_X = 15200982887513021156361757165157897159432998985808190714076508891011654914038;
    uint256 private constant IC28_Y = 2265368498991335512082756589925982298651640748822432317401959599919225768633;
    uint256 private constant IC29_X = 1641089161796947335041733983753627034060947345248939728324606827742179697475;
    uint256 private constant IC29_Y = 19213271790518779883098756023411570450915427990854234158067478030325158625177;
    uint256 private constant IC30_X = 18082430435740669556917282922908501493080546915137888515979724860316337594850;
    uint256 private constant IC30_Y = 16325879879090498620787400808674642943729334190055594529958319120172589498961;
    uint256 private constant IC31_X = 1126732719345631283565580294823642936868971436360732603429546353219961540260;
    uint256 private constant IC31_Y = 19552468425947571763960435954971444776087542687947889830120792849808451233354;
    uint256 private constant IC32_X = 18642745901126857942474775116912941008569461615022533648827456070556043387845;
    uint256 private constant IC32_Y = 16590083618172827448053104906816341148037440932650715534694151894312965058021;
    uint256 private constant IC33_X = 5542133416835314762255345397696034105139869016419385305742884320199503196484;
    uint256 private constant IC33_Y = 15548246990661213311476135493180940296720593719778648166699029604720198895431;
    uint256 private constant IC34_X = 15099417253942840819336420936115642728588041878922628125843201725964084062744;
    uint256 private constant IC34_Y = 17373560008162454491160929602651175516948913492001339414356511684379066368487;
    uint256 private constant IC35_X = 21211120470600011207390862161210236888421851242935636683970753221152455526738;
    uint256 private constant IC35_Y = 2934810959559866185472497156683769789825832426127277611650087607362555086774;
    uint256 private constant IC36_X = 10188747878022415218778075390495047501102092259287367421711416959040316091376;
    uint256 private constant IC36_Y = 7803341681693718457806972685695164458914051942581066518056891666719060000745;
    uint256 private constant IC37_X = 10735381158615824308964093027930122521241231147751722515187036334500120623255;
    uint256 private constant IC37_Y = 14725595696240364304657280518254731819867033141645914971544211353856998474655;
    uint256 private constant IC38_X = 11594360660691175296588567417339239617670779667532734405514536381544415789057;
    uint256 private constant IC38_Y = 7869342899268585294413361137251825573082933686796844870480332881648502962440;
    uint256 private constant IC39_X = 7393723943511904367917810892411802852027535238621314717627983138830678545472;
    uint256 private constant IC39_Y = 2952549773716512132105835761941905127485689417833206946256314123156167341337;

    /// @notice Checks one proof against its public signals (snarkjs' interface).
    function verifyProof(
        uint256[2] calldata _pA,
        uint256[2][2] calldata _pB,
        uint256[2] calldata _pC,
        uint256[39] calldata _pubSignals
    ) external view returns (bool) {
        // The four static arguments lie in calldata as one 47-word entry of `verifyBatch`.
        uint256 start;
        assembly ("memory-safe") {
            start := _pA
            let contiguous := and(eq(_pB, add(_pA, 0x40)), eq(_pC, add(_pA, 0xc0)))
            if iszero(and(contiguous, eq(_pubSignals, add(_pA, 0x100)))) { revert(0, 0) }
        }
        return _verify(start, 1);
    }

    /// @notice Checks a batch, as IGroth16Verifier.verifyBatch with 47 words a proof.
    function verifyBatch(uint256[] calldata words) external view returns (bool) {
        uint256 count = words.length / WORDS_PER_PROOF;
        if (count == 0 || words.length % WORDS_PER_PROOF != 0) return false;
        uint256 start;
        assembly ("memory-safe") {
            start := words.offset
        }
        return _verify(start, count);
    }

    /// @dev Checks `count` consecutive 47-word entries of calldata from `start`.
    /// Memory (all above the free memory pointer, never claimed): 0x80 bytes of precompile
    /// input and output, then the accumulators `R, t_1..t_39, C.x, C.y`, then the pairs.
    function _verify(uint256 start, uint256 count) private view returns (bool valid) {
        assembly ("memory-safe") {
            function g1Mul(io, x, y, k) -> ok, rx, ry {
                mstore(io, x)
                mstore(add(io, 0x20), y)
                mstore(add(io, 0x40), k)
                ok := staticcall(gas(), 0x07, io, 0x60, io, 0x40)
                rx := mload(io)
                ry := mload(add(io, 0x20))
            }
            function g1Add(io, x1, y1, x2, y2) -> ok, rx, ry {
                mstore(io, x1)
                mstore(add(io, 0x20), y1)
                mstore(add(io, 0x40), x2)
                mstore(add(io, 0x60), y2)
                ok := staticcall(gas(), 0x06, io, 0x80, io, 0x40)
                rx := mload(io)
                ry := mload(add(io, 0x20))
            }

            // Adds r to R and r s_j to t_j for the 39 signals of the proof at calldata
            // `entry`; ok is 0 if a signal is not below the field order `fr` (= R, passed on
            // the stack: a 32-byte literal in a loop costs a code copy at each use).
            function absorbSignals(acc, entry, r, fr) -> ok {
                mstore(acc, addmod(mload(acc), r, fr))
                let s := calldataload(add(entry, 0x100))
                ok := lt(s, fr)
                mstore(add(acc, 0x20), addmod(mload(add(acc, 0x20)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x120))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x40), addmod(mload(add(acc, 0x40)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x140))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x60), addmod(mload(add(acc, 0x60)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x160))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x80), addmod(mload(add(acc, 0x80)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x180))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0xa0), addmod(mload(add(acc, 0xa0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x1a0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0xc0), addmod(mload(add(acc, 0xc0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x1c0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0xe0), addmod(mload(add(acc, 0xe0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x1e0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x100), addmod(mload(add(acc, 0x100)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x200))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x120), addmod(mload(add(acc, 0x120)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x220))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x140), addmod(mload(add(acc, 0x140)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x240))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x160), addmod(mload(add(acc, 0x160)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x260))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x180), addmod(mload(add(acc, 0x180)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x280))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x1a0), addmod(mload(add(acc, 0x1a0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x2a0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x1c0), addmod(mload(add(acc, 0x1c0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x2c0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x1e0), addmod(mload(add(acc, 0x1e0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x2e0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x200), addmod(mload(add(acc, 0x200)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x300))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x220), addmod(mload(add(acc, 0x220)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x320))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x240), addmod(mload(add(acc, 0x240)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x340))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x260), addmod(mload(add(acc, 0x260)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x360))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x280), addmod(mload(add(acc, 0x280)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x380))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x2a0), addmod(mload(add(acc, 0x2a0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x3a0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x2c0), addmod(mload(add(acc, 0x2c0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x3c0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x2e0), addmod(mload(add(acc, 0x2e0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x3e0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x300), addmod(mload(add(acc, 0x300)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x400))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x320), addmod(mload(add(acc, 0x320)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x420))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x340), addmod(mload(add(acc, 0x340)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x440))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x360), addmod(mload(add(acc, 0x360)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x460))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x380), addmod(mload(add(acc, 0x380)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x480))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x3a0), addmod(mload(add(acc, 0x3a0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x4a0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x3c0), addmod(mload(add(acc, 0x3c0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x4c0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x3e0), addmod(mload(add(acc, 0x3e0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x4e0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x400), addmod(mload(add(acc, 0x400)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x500))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x420), addmod(mload(add(acc, 0x420)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x520))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x440), addmod(mload(add(acc, 0x440)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x540))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x460), addmod(mload(add(acc, 0x460)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x560))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x480), addmod(mload(add(acc, 0x480)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x580))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x4a0), addmod(mload(add(acc, 0x4a0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x5a0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x4c0), addmod(mload(add(acc, 0x4c0)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x5c0))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x4e0), addmod(mload(add(acc, 0x4e0)), mulmod(r, s, fr), fr))
            }
            // Adds r C to the C accumulator and writes the pair (-r A, B) at `pair`, for the
            // proof at calldata `entry` (r = 1 for the first proof: no multiplication); ok is 0
            // if a coordinate is not below the base field order `fq` (= Q) or a precompile
            // refuses a point.
            function absorbPoints(io, acc, pair, entry, r, fq) -> ok {
                let ax := calldataload(entry)
                let ay := calldataload(add(entry, 0x20))
                let cx := calldataload(add(entry, 0xc0))
                let cy := calldataload(add(entry, 0xe0))
                ok := and(and(lt(ax, fq), lt(ay, fq)), and(lt(cx, fq), lt(cy, fq)))
                if iszero(ok) { leave }
                if iszero(eq(r, 1)) {
                    let ok1, ok2, ok3
                    ok1, ax, ay := g1Mul(io, ax, ay, r)
                    ok2, cx, cy := g1Mul(io, cx, cy, r)
                    ok3, cx, cy := g1Add(io, mload(add(acc, 0x500)), mload(add(acc, 0x520)), cx, cy)
                    ok := and(ok1, and(ok2, ok3))
                }
                mstore(add(acc, 0x500), cx)
                mstore(add(acc, 0x520), cy)
                mstore(pair, ax)
                mstore(add(pair, 0x20), mod(sub(fq, ay), fq))
                calldatacopy(add(pair, 0x40), add(entry, 0x40), 0x80)
            }
            // Adds t * IC to (vx, vy); ok stays 1 only if both precompile calls succeed.
            function addTerm(io, ok, vx, vy, icx, icy, t) -> okOut, rx, ry {
                let okMul, px, py := g1Mul(io, icx, icy, t)
                let okAdd
                okAdd, rx, ry := g1Add(io, vx, vy, px, py)
                okOut := and(ok, and(okMul, okAdd))
            }
            // The three pairs of the key after the batch's pairs, then the pairing check.
            function pairingCheck(io, acc, pairs, n) -> holds {
                let sum := mload(acc)
                let ok := 1
                let vx := IC0_X
                let vy := IC0_Y
                let alx := ALPHA_X
                let aly := ALPHA_Y
                if iszero(eq(sum, 1)) {
                    let ok1, ok2
                    ok1, vx, vy := g1Mul(io, vx, vy, sum)
                    ok2, alx, aly := g1Mul(io, alx, aly, sum)
                    ok := and(ok1, ok2)
                }
                ok, vx, vy := addTerm(io, ok, vx, vy, IC1_X, IC1_Y, mload(add(acc, 0x20)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC2_X, IC2_Y, mload(add(acc, 0x40)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC3_X, IC3_Y, mload(add(acc, 0x60)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC4_X, IC4_Y, mload(add(acc, 0x80)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC5_X, IC5_Y, mload(add(acc, 0xa0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC6_X, IC6_Y, mload(add(acc, 0xc0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC7_X, IC7_Y, mload(add(acc, 0xe0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC8_X, IC8_Y, mload(add(acc, 0x100)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC9_X, IC9_Y, mload(add(acc, 0x120)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC10_X, IC10_Y, mload(add(acc, 0x140)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC11_X, IC11_Y, mload(add(acc, 0x160)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC12_X, IC12_Y, mload(add(acc, 0x180)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC13_X, IC13_Y, mload(add(acc, 0x1a0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC14_X, IC14_Y, mload(add(acc, 0x1c0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC15_X, IC15_Y, mload(add(acc, 0x1e0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC16_X, IC16_Y, mload(add(acc, 0x200)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC17_X, IC17_Y, mload(add(acc, 0x220)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC18_X, IC18_Y, mload(add(acc, 0x240)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC19_X, IC19_Y, mload(add(acc, 0x260)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC20_X, IC20_Y, mload(add(acc, 0x280)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC21_X, IC21_Y, mload(add(acc, 0x2a0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC22_X, IC22_Y, mload(add(acc, 0x2c0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC23_X, IC23_Y, mload(add(acc, 0x2e0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC24_X, IC24_Y, mload(add(acc, 0x300)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC25_X, IC25_Y, mload(add(acc, 0x320)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC26_X, IC26_Y, mload(add(acc, 0x340)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC27_X, IC27_Y, mload(add(acc, 0x360)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC28_X, IC28_Y, mload(add(acc, 0x380)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC29_X, IC29_Y, mload(add(acc, 0x3a0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC30_X, IC30_Y, mload(add(acc, 0x3c0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC31_X, IC31_Y, mload(add(acc, 0x3e0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC32_X, IC32_Y, mload(add(acc, 0x400)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC33_X, IC33_Y, mload(add(acc, 0x420)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC34_X, IC34_Y, mload(add(acc, 0x440)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC35_X, IC35_Y, mload(add(acc, 0x460)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC36_X, IC36_Y, mload(add(acc, 0x480)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC37_X, IC37_Y, mload(add(acc, 0x4a0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC38_X, IC38_Y, mload(add(acc, 0x4c0)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC39_X, IC39_Y, mload(add(acc, 0x4e0)))
                let tail := add(pairs, mul(n, 0xc0))
                mstore(tail, alx)
                mstore(add(tail, 0x20), aly)
                mstore(add(tail, 0x40), BETA_X_IM)
                mstore(add(tail, 0x60), BETA_X_RE)
                mstore(add(tail, 0x80), BETA_Y_IM)
                mstore(add(tail, 0xa0), BETA_Y_RE)
                mstore(add(tail, 0xc0), vx)
                mstore(add(tail, 0xe0), vy)
                mstore(add(tail, 0x100), GAMMA_X_IM)
                mstore(add(tail, 0x120), GAMMA_X_RE)
                mstore(add(tail, 0x140), GAMMA_Y_IM)
                mstore(add(tail, 0x160), GAMMA_Y_RE)
                mstore(add(tail, 0x180), mload(add(acc, 0x500)))
                mstore(add(tail, 0x1a0), mload(add(acc, 0x520)))
                mstore(add(tail, 0x1c0), DELTA_X_IM)
                mstore(add(tail, 0x1e0), DELTA_X_RE)
                mstore(add(tail, 0x200), DELTA_Y_IM)
                mstore(add(tail, 0x220), DELTA_Y_RE)
                mstore(io, 0)
                let paired := staticcall(gas(), 0x08, pairs, mul(add(n, 3), 0xc0), io, 0x20)
                holds := and(and(ok, paired), eq(mload(io), 1))
            }

            let io := mload(0x40)
            let acc := add(io, 0x80)
            let pairs := add(acc, 0x540)
            for { let k := 0 } lt(k, 0x540) { k := add(k, 0x20) } { mstore(add(acc, k), 0) }

            // The seed commits to every proof and signal of the batch; the copy is only hashed,
            // and the pairs overwrite it afterwards.
            let seed := 0
            if gt(count, 1) {
                let size := mul(count, 0x5e0)
                calldatacopy(pairs, start, size)
                seed := keccak256(pairs, size)
            }

            valid := 1
            let fr := R
            let fq := Q
            for { let i := 0 } lt(i, count) { i := add(i, 1) } {
                // Proof i's coefficient: 1 for the first, else a hash of the seed and i.
                let r := 1
                if i {
                    mstore(io, seed)
                    mstore(add(io, 0x20), i)
                    r := mod(keccak256(io, 0x40), fr)
                    if iszero(r) { r := 1 }
                }
                let entry := add(start, mul(i, 0x5e0))
                let ok := absorbSignals(acc, entry, r, fr)
                ok := and(ok, absorbPoints(io, acc, add(pairs, mul(i, 0xc0)), entry, r, fq))
                if iszero(ok) {
                    valid := 0
                    break
                }
            }
            if valid { valid := pairingCheck(io, acc, pairs, count) }
        }
    }
}
